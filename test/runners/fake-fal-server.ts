import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FaultBudget, faultsInText, parseJsonBody, sendJson, sendVideo, startHttpServer, type ClipSource, type Fault, type SeenRequest } from './fake-server-kit.js';

/**
 * A fake fal queue: submit to the full endpoint id; status, result and cancel under its first two
 * path segments; IN_QUEUE (queue_position) → IN_PROGRESS (logs) → COMPLETED, then the result call
 * answers the output JSON, a 422 content-policy error or a runner error. Files live on an open CDN path.
 */

interface EndpointRules {
  durations: readonly (number | string)[];
  /** Whether the output carries audio: `flag` follows `generate_audio` (default true). */
  audio: 'flag' | 'never';
  needsImage: boolean;
  /** Extend endpoints: `video_url` must hold a video (a data URI here). */
  needsVideo?: boolean;
}

const PIKA_T2V: EndpointRules = { durations: [5, 10], audio: 'never', needsImage: false };
const VEO31: EndpointRules = { durations: ['4s', '6s', '8s'], audio: 'flag', needsImage: false };

export const FAKE_FAL_ENDPOINTS: Record<string, EndpointRules> = {
  'fal-ai/pika/v2.2/text-to-video': PIKA_T2V,
  'fal-ai/pika/v2.2/image-to-video': { ...PIKA_T2V, needsImage: true },
  'fal-ai/kling-video/v3/pro/text-to-video': { durations: ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'], audio: 'flag', needsImage: false },
  'fal-ai/veo3.1': VEO31,
  'fal-ai/veo3.1/fast': VEO31,
  'fal-ai/veo3.1/image-to-video': { ...VEO31, needsImage: true },
  'fal-ai/veo3.1/extend-video': { durations: ['7s'], audio: 'flag', needsImage: false, needsVideo: true },
  'fal-ai/luma-dream-machine/ray-2': { durations: ['5s', '9s'], audio: 'never', needsImage: false },
};

export interface FakeFalOptions {
  key: string;
  clips: ClipSource;
  queuedPolls?: number;
  runningPolls?: number;
}

interface FalJob {
  id: string;
  /** `owner/alias`: the only part of the endpoint id the request URLs carry. */
  root: string;
  promptText: string;
  withAudio: boolean;
  polls: number;
  cancelled: boolean;
  faults: FaultBudget;
}

export interface FakeFalServer {
  url: string;
  createdCount(): number;
  requests: SeenRequest[];
  createBodies: unknown[];
  arm(fault: Fault, count?: number): void;
  close(): Promise<void>;
}

function falInfraError(response: ServerResponse, status: number, errorType: string, detail: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { detail, error_type: errorType }, { 'x-fal-error-type': errorType, 'x-fal-retryable': String(status >= 500 || status === 429), ...headers });
}

export async function startFakeFalServer(options: FakeFalOptions): Promise<FakeFalServer> {
  const queuedPolls = options.queuedPolls ?? 1;
  const runningPolls = options.runningPolls ?? 2;
  const jobs = new Map<string, FalJob>();
  const armed = new FaultBudget();
  const createFaultsByPrompt = new Map<string, FaultBudget>();
  const requests: SeenRequest[] = [];
  const createBodies: unknown[] = [];

  const server = await startHttpServer((request, response, url, rawBody) => {
    const path = url.pathname;
    const cdn = /^\/cdn\/([^/]+)\.mp4$/.exec(path);
    if (request.method === 'GET' && cdn !== null) {
      requests.push({ method: 'GET', path, authorized: request.headers.authorization !== undefined });
      const job = jobs.get(cdn[1] ?? '');
      if (job === undefined) return void response.writeHead(404).end();
      if (armed.take('drop-download')) job.faults.arm('drop-download');
      if (armed.take('truncate-download')) job.faults.arm('truncate-download');
      return sendVideo(response, options.clips(job.promptText, job.withAudio), job.faults);
    }
    const ok = request.headers.authorization === `Key ${options.key}`;
    requests.push({ method: request.method ?? '', path, authorized: ok });
    if (!ok) return sendJson(response, 401, { detail: 'Authentication is required to perform this action. Use a valid Key.' });

    const onRequest = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (onRequest !== null) {
      const job = jobs.get(onRequest[2] ?? '');
      if (job === undefined || job.root !== onRequest[1]) return sendJson(response, 404, { detail: `Request ${onRequest[2]} not found` });
      if (request.method === 'GET' && onRequest[3] === '/status') return handleStatus(job, response, url.searchParams.get('logs') === '1');
      if (request.method === 'GET' && onRequest[3] === undefined) return handleResult(job, response);
      if (request.method === 'PUT' && onRequest[3] === '/cancel') {
        if (job.polls > queuedPolls) return sendJson(response, 400, { status: 'ALREADY_COMPLETED' });
        job.cancelled = true;
        return sendJson(response, 202, { status: 'CANCELLATION_REQUESTED' });
      }
    }
    if (request.method === 'POST') return handleSubmit(path.slice(1), rawBody, response);
    return sendJson(response, 404, { detail: `No route ${request.method} ${path}` });
  });

  function handleSubmit(endpointId: string, rawBody: Buffer, response: ServerResponse): void {
    const body = parseJsonBody(rawBody) as Record<string, unknown> | undefined;
    const promptText = typeof body?.['prompt'] === 'string' ? body['prompt'] : '';
    let promptFaults = createFaultsByPrompt.get(promptText);
    if (promptFaults === undefined) {
      promptFaults = new FaultBudget(faultsInText(promptText));
      createFaultsByPrompt.set(promptText, promptFaults);
    }
    const fires = (fault: Fault): boolean => armed.take(fault) || promptFaults.take(fault);
    if (fires('hang-create')) return;
    if (fires('429-create')) return falInfraError(response, 429, 'rate_limited', 'Too many concurrent requests for this key.', { 'retry-after': '1' });
    if (fires('500-create')) return falInfraError(response, 500, 'runner_server_error', 'Internal server error.');
    if (fires('503-create')) return falInfraError(response, 503, 'runner_scheduling_failure', 'No runner could be scheduled for the request.');
    const rules = FAKE_FAL_ENDPOINTS[endpointId];
    if (rules === undefined) return sendJson(response, 404, { detail: `Application '${endpointId}' not found` });
    if (promptText === '') return sendJson(response, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] });
    const duration = body?.['duration'] ?? rules.durations[0];
    if (!rules.durations.includes(duration as number | string)) {
      return sendJson(response, 422, {
        detail: [{ loc: ['body', 'duration'], msg: `Input should be ${rules.durations.map((value) => JSON.stringify(value)).join(' or ')}`, type: 'literal_error' }],
      });
    }
    if (rules.needsImage && typeof body?.['image_url'] !== 'string') return sendJson(response, 422, { detail: [{ loc: ['body', 'image_url'], msg: 'Field required', type: 'missing' }] });
    const videoUrl = body?.['video_url'];
    if (rules.needsVideo && !(typeof videoUrl === 'string' && /^(data:video\/|https:\/\/)/.test(videoUrl))) {
      return sendJson(response, 422, { detail: [{ loc: ['body', 'video_url'], msg: 'A video URL or data URI is required', type: 'missing' }] });
    }
    if (fires('refuse-sync')) {
      return sendJson(response, 422, {
        detail: [{ loc: ['body', 'prompt'], msg: 'The content could not be processed because it contained material flagged by a content checker.', type: 'content_policy_violation', ctx: { extra_info: { reason: 'prompt' } } }],
      });
    }
    const id = randomUUID();
    const root = endpointId.split('/').slice(0, 2).join('/');
    const withAudio = rules.audio === 'flag' && body?.['generate_audio'] !== false;
    jobs.set(id, { id, root, promptText, withAudio, polls: 0, cancelled: false, faults: new FaultBudget(faultsInText(promptText)) });
    createBodies.push(body);
    const base = `${server.url}/${root}/requests/${id}`;
    sendJson(response, 200, { status: 'IN_QUEUE', request_id: id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel`, queue_position: queuedPolls });
  }

  function handleStatus(job: FalJob, response: ServerResponse, withLogs: boolean): void {
    if (armed.take('429-poll') || job.faults.take('429-poll')) return falInfraError(response, 429, 'rate_limited', 'Too many requests.', { 'retry-after': '1' });
    if (armed.take('503-poll') || job.faults.take('503-poll')) return falInfraError(response, 503, 'runner_unavailable', 'Runner unavailable.');
    const base = `${server.url}/${job.root}/requests/${job.id}`;
    const urls = { request_id: job.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
    job.polls += 1;
    if (job.cancelled) return sendJson(response, 200, { status: 'COMPLETED', ...urls, logs: withLogs ? [] : null });
    if (job.polls <= queuedPolls) return sendJson(response, 202, { status: 'IN_QUEUE', queue_position: queuedPolls - job.polls, ...urls });
    const step = job.polls - queuedPolls;
    const logs = Array.from({ length: step }, (_, index) => ({ message: `step ${index + 1}`, level: 'INFO', timestamp: new Date().toISOString() }));
    if (step <= runningPolls || job.faults.has('stuck')) return sendJson(response, 202, { status: 'IN_PROGRESS', ...urls, logs: withLogs ? logs : null });
    sendJson(response, 200, { status: 'COMPLETED', ...urls, logs: withLogs ? logs : null, metrics: { inference_time: 1.5 } });
  }

  function handleResult(job: FalJob, response: ServerResponse): void {
    const done = job.polls > queuedPolls + runningPolls && !job.faults.has('stuck');
    if (job.cancelled) return falInfraError(response, 400, 'client_cancelled', 'The request was cancelled.');
    if (!done) return sendJson(response, 400, { detail: 'Request is still in progress' });
    if (job.faults.has('refuse')) {
      return sendJson(response, 422, {
        detail: [{ loc: ['body', 'prompt'], msg: 'The output was flagged by the content checker.', type: 'content_policy_violation', ctx: { extra_info: { reason: 'output' } } }],
      });
    }
    if (job.faults.has('fail')) return falInfraError(response, 500, 'runner_server_error', 'The model failed to generate a video.', { 'x-fal-retryable': 'false' });
    const video = options.clips(job.promptText, job.withAudio);
    sendJson(
      response,
      200,
      { video: { url: `${server.url}/cdn/${job.id}.mp4`, content_type: 'video/mp4', file_name: 'output.mp4', file_size: video.length }, seed: 42 },
      { 'x-fal-request-id': job.id },
    );
  }

  return {
    url: server.url,
    createdCount: () => jobs.size,
    requests,
    createBodies,
    arm: (fault, count = 1) => armed.arm(fault, count),
    close: () => server.close(),
  };
}
