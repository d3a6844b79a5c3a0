import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FaultBudget, faultsInText, parseJsonBody, sendJson, sendVideo, startHttpServer, type ClipSource, type Fault, type SeenRequest } from './fake-server-kit.js';

/**
 * A fake Runway developer API: create a task on `/v1/text_to_video` or `/v1/image_to_video`, poll
 * `/v1/tasks/{id}` through PENDING / THROTTLED / RUNNING (progress 0..1) to SUCCEEDED with an
 * unsigned output URL, or FAILED with a `failureCode`; DELETE cancels.
 */

type Endpoint = 'text_to_video' | 'image_to_video';

interface ModelRules {
  ratios: readonly string[];
  durations: readonly number[];
  /** Whether the output carries audio: `flag` follows the request's `audio`. */
  audio: 'flag' | 'never' | 'always';
}

const WIDE = ['1280:720', '720:1280'];
const GEN4_IMAGE = ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'];
const VEO = ['1280:720', '720:1280', '1080:1920', '1920:1080'];
const TWO_TO_TEN = [2, 3, 4, 5, 6, 7, 8, 9, 10];

const RULES: Record<Endpoint, Record<string, ModelRules>> = {
  text_to_video: {
    'gen4.5': { ratios: WIDE, durations: TWO_TO_TEN, audio: 'never' },
    'veo3.1': { ratios: VEO, durations: [4, 6, 8], audio: 'flag' },
    'veo3.1_fast': { ratios: VEO, durations: [4, 6, 8], audio: 'flag' },
    veo3: { ratios: VEO, durations: [8], audio: 'always' },
    seedance2: { ratios: ['1280:720', '720:1280', '960:960', '1112:834'], durations: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], audio: 'flag' },
    gemini_omni_flash: { ratios: WIDE, durations: [3, 4, 5, 6, 7, 8, 9, 10], audio: 'always' },
  },
  image_to_video: {
    gen4_turbo: { ratios: GEN4_IMAGE, durations: TWO_TO_TEN, audio: 'never' },
    'gen4.5': { ratios: GEN4_IMAGE, durations: TWO_TO_TEN, audio: 'never' },
    'veo3.1': { ratios: VEO, durations: [4, 6, 8], audio: 'flag' },
    'veo3.1_fast': { ratios: VEO, durations: [4, 6, 8], audio: 'flag' },
    veo3: { ratios: VEO, durations: [8], audio: 'always' },
  },
};

export interface FakeRunwayOptions {
  key: string;
  clips: ClipSource;
  /** Polls answering PENDING, then RUNNING, before a task succeeds. */
  pendingPolls?: number;
  runningPolls?: number;
}

interface RunwayTask {
  id: string;
  createdAt: string;
  promptText: string;
  withAudio: boolean;
  polls: number;
  cancelled: boolean;
  faults: FaultBudget;
}

export interface FakeRunwayServer {
  url: string;
  createdCount(): number;
  requests: SeenRequest[];
  createBodies: unknown[];
  /** Every status the server answered a poll with, in order. */
  statuses: string[];
  arm(fault: Fault, count?: number): void;
  close(): Promise<void>;
}

const runwayError = (response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void =>
  sendJson(response, status, { error: message }, headers);

export async function startFakeRunwayServer(options: FakeRunwayOptions): Promise<FakeRunwayServer> {
  const pendingPolls = options.pendingPolls ?? 1;
  const runningPolls = options.runningPolls ?? 2;
  const tasks = new Map<string, RunwayTask>();
  const armed = new FaultBudget();
  const createFaultsByPrompt = new Map<string, FaultBudget>();
  const requests: SeenRequest[] = [];
  const createBodies: unknown[] = [];
  const statuses: string[] = [];

  const server = await startHttpServer((request, response, url, rawBody) => {
    const path = url.pathname;
    const output = /^\/outputs\/([^/]+)\.mp4$/.exec(path);
    // Output URLs are pre-signed: no auth, and a request carrying the key is a client bug we record.
    if (request.method === 'GET' && output !== null) {
      requests.push({ method: 'GET', path, authorized: request.headers.authorization !== undefined });
      const task = tasks.get(output[1] ?? '');
      if (task === undefined || url.searchParams.get('sig') !== 'fake') return runwayError(response, 403, 'Request has expired');
      if (armed.take('drop-download')) task.faults.arm('drop-download');
      if (armed.take('truncate-download')) task.faults.arm('truncate-download');
      return sendVideo(response, options.clips(task.promptText, task.withAudio), task.faults);
    }
    const ok = request.headers.authorization === `Bearer ${options.key}`;
    requests.push({ method: request.method ?? '', path, authorized: ok });
    if (!ok) return runwayError(response, 401, 'Invalid API key. Make sure the key is correct and has not been disabled.');
    const version = request.headers['x-runway-version'];
    if (version === undefined) return runwayError(response, 400, 'You must provide a X-Runway-Version header.');
    if (version !== '2024-11-06') return runwayError(response, 400, `Unknown API version ${String(version)}.`);

    const create = /^\/v1\/(text_to_video|image_to_video)$/.exec(path);
    if (request.method === 'POST' && create !== null) return handleCreate(create[1] as Endpoint, rawBody, response);
    const task = /^\/v1\/tasks\/([^/]+)$/.exec(path);
    if (task !== null && request.method === 'GET') return handlePoll(task[1] ?? '', response);
    if (task !== null && request.method === 'DELETE') {
      const found = tasks.get(task[1] ?? '');
      if (found === undefined) return runwayError(response, 404, 'Task not found.');
      found.cancelled = true;
      return void response.writeHead(204).end();
    }
    return runwayError(response, 404, `No route ${request.method} ${path}`);
  });

  function handleCreate(endpoint: Endpoint, rawBody: Buffer, response: ServerResponse): void {
    const body = parseJsonBody(rawBody) as Record<string, unknown> | undefined;
    const promptText = typeof body?.['promptText'] === 'string' ? body['promptText'] : '';
    let promptFaults = createFaultsByPrompt.get(promptText);
    if (promptFaults === undefined) {
      promptFaults = new FaultBudget(faultsInText(promptText));
      createFaultsByPrompt.set(promptText, promptFaults);
    }
    const fires = (fault: Fault): boolean => armed.take(fault) || promptFaults.take(fault);
    if (fires('hang-create')) return;
    if (fires('429-create')) return runwayError(response, 429, 'You have exceeded the rate limit for this model.', { 'retry-after': '1' });
    if (fires('500-create')) return runwayError(response, 500, 'An unexpected error occurred.');
    if (fires('503-create')) return runwayError(response, 503, 'The service is temporarily overloaded.');
    const model = String(body?.['model'] ?? '');
    if (model === 'gen3a_turbo') return runwayError(response, 400, 'Model gen3a_turbo is no longer available.');
    const rules = RULES[endpoint][model];
    if (rules === undefined) return runwayError(response, 400, `Invalid model ${model} for ${endpoint}.`);
    if (!rules.ratios.includes(String(body?.['ratio']))) return runwayError(response, 400, `Invalid ratio ${String(body?.['ratio'])} for ${model}: expected one of ${rules.ratios.join(', ')}.`);
    const duration = body?.['duration'] ?? rules.durations[rules.durations.length - 1];
    if (typeof duration !== 'number' || !rules.durations.includes(duration)) return runwayError(response, 400, `Invalid duration ${String(duration)} for ${model}.`);
    if (endpoint === 'image_to_video' && typeof body?.['promptImage'] !== 'string' && !Array.isArray(body?.['promptImage'])) {
      return runwayError(response, 400, 'promptImage is required.');
    }
    if (body?.['audio'] !== undefined && rules.audio !== 'flag') return runwayError(response, 400, `${model} takes no audio parameter.`);
    if (body?.['seed'] !== undefined && !['gen4_turbo', 'gen4.5'].includes(model)) return runwayError(response, 400, `${model} takes no seed parameter.`);
    const id = randomUUID();
    const withAudio = rules.audio === 'always' || (rules.audio === 'flag' && body?.['audio'] === true);
    tasks.set(id, { id, createdAt: new Date().toISOString(), promptText, withAudio, polls: 0, cancelled: false, faults: new FaultBudget(faultsInText(promptText)) });
    createBodies.push(body);
    sendJson(response, 200, { id });
  }

  function answer(response: ServerResponse, task: RunwayTask, status: string, extra: Record<string, unknown> = {}): void {
    statuses.push(status);
    sendJson(response, 200, { id: task.id, createdAt: task.createdAt, status, ...extra });
  }

  function handlePoll(id: string, response: ServerResponse): void {
    const task = tasks.get(id);
    if (task === undefined) return runwayError(response, 404, 'Task not found.');
    if (armed.take('429-poll') || task.faults.take('429-poll')) return runwayError(response, 429, 'You have exceeded the rate limit.', { 'retry-after': '1' });
    if (armed.take('503-poll') || task.faults.take('503-poll')) return runwayError(response, 503, 'The service is temporarily overloaded.');
    if (task.cancelled) return answer(response, task, 'CANCELLED');
    if (task.faults.take('throttle')) return answer(response, task, 'THROTTLED');
    task.polls += 1;
    if (task.faults.has('refuse-sync')) return answer(response, task, 'FAILED', { failure: 'The prompt text did not pass our content moderation.', failureCode: 'SAFETY.INPUT.TEXT' });
    if (task.polls <= pendingPolls) return answer(response, task, 'PENDING');
    const runningStep = task.polls - pendingPolls;
    if (runningStep <= runningPolls || task.faults.has('stuck')) return answer(response, task, 'RUNNING', { progress: Math.min(0.95, runningStep / (runningPolls + 1)) });
    if (task.faults.has('refuse')) return answer(response, task, 'FAILED', { failure: 'The output did not pass our content moderation.', failureCode: 'SAFETY.OUTPUT.VIDEO' });
    if (task.faults.has('fail')) return answer(response, task, 'FAILED', { failure: 'An internal error occurred.', failureCode: 'INTERNAL.BAD_OUTPUT.CODE01' });
    answer(response, task, 'SUCCEEDED', { output: [`${server.url}/outputs/${task.id}.mp4?sig=fake&expires=${Date.now() + 86_400_000}`] });
  }

  return {
    url: server.url,
    createdCount: () => tasks.size,
    requests,
    createBodies,
    statuses,
    arm: (fault, count = 1) => armed.arm(fault, count),
    close: () => server.close(),
  };
}
