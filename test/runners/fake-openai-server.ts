import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that speaks OpenAI's videos protocol (and Azure's, under /openai/v1), with the job
 * state machine queued → in_progress → completed | failed, integer progress, `openai-poll-after-ms`,
 * `POST /videos/extensions` (multipart, the source as the `video` file, seconds 4..20 by 4),
 * `POST /videos/{id}/remix` (a new job with `remixed_from_video_id`), counts of jobs in flight,
 * OpenAI's error bodies and faults chosen by tokens in the prompt text:
 *   [429] first create answered 429 with retry-after-ms   [500] first two creates answered 500
 *   [poll-429] first poll 429 with Retry-After as a date  [hang] first poll never answered
 *   [drop] first download cut off mid-body                [truncate] every download half a file
 *   [refuse] create refused (400 moderation_blocked)      [refuse-later] job fails moderation_blocked
 *   [fail] job fails internal_error                        [stuck] job never finishes
 */
export interface FakeOpenAiOptions {
  key: string;
  /** The MP4 served for a prompt. */
  video: (prompt: string) => Buffer;
  /** Polls a job spends queued, then in progress, before it completes. */
  queuedPolls?: number;
  progressPolls?: number;
  /** Value of the `openai-poll-after-ms` header on unfinished jobs; none when absent. */
  pollAfterMs?: number;
  /** Models answered as retired (the public Sora API's shutdown). */
  retiredModels?: readonly string[];
  /** Deployment names the Azure mount accepts as `model`. */
  azureDeployments?: readonly string[];
  /** What an extension job serves: the uploaded source and a continuation of `seconds`, as Sora returns one stitched clip. */
  extensionVideo?: (uploaded: Buffer, prompt: string, seconds: number) => Promise<Buffer>;
}

interface FakeJob {
  id: string;
  /** Set for extension jobs: the stitched clip, made while the job runs (it stays in progress until then). */
  video?: Buffer;
  stitching?: boolean;
  stitchError?: string;
  remixedFrom?: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  polls: number;
  createdAt: number;
}

export interface FakeOpenAiStats {
  /** Create calls that made a job, by prompt text. */
  creates: Map<string, number>;
  polls: number;
  downloads: number;
  /** Start images received as `input_reference` file parts: name, type and size. */
  references: { name: string; type: string; bytes: number }[];
  /** Every request's method and path, in order. */
  requests: string[];
  /** Extension creates: the uploaded source's size, the new part's seconds, the prompt. */
  extensions: { bytes: number; seconds: string; prompt: string }[];
  /** Remix creates: the source video id and the prompt. */
  remixes: { from: string; prompt: string }[];
  /** When each job-creating call (create, extension, remix) arrived (its headers, before the body), ms since the epoch. */
  createTimesMs: number[];
  /** Most jobs created and not yet finished (downloaded, or ended failed) at any moment. */
  maxInFlight: number;
}

export interface FakeOpenAi {
  url: string;
  stats: FakeOpenAiStats;
  close(): Promise<void>;
}

const MODELS = ['sora-2', 'sora-2-pro', 'sora-2-2025-10-06', 'sora-2-pro-2025-10-06', 'sora-2-2025-12-08'];
const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
const SECONDS = ['4', '8', '12'];
const EXTENSION_SECONDS = ['4', '8', '12', '16', '20'];

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const jobs = new Map<string, FakeJob>();
  const stats: FakeOpenAiStats = { creates: new Map(), polls: 0, downloads: 0, references: [], requests: [], extensions: [], remixes: [], createTimesMs: [], maxInFlight: 0 };
  const inFlight = new Set<string>();
  const started = (job: FakeJob, arrivedMs: number): void => {
    jobs.set(job.id, job);
    stats.createTimesMs.push(arrivedMs);
    stats.creates.set(job.prompt, (stats.creates.get(job.prompt) ?? 0) + 1);
    inFlight.add(job.id);
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight.size);
  };
  /** How often each fault has fired, by fault and prompt. */
  const fired = new Map<string, number>();
  const fire = (fault: string, prompt: string, times = 1): boolean => {
    if (!prompt.includes(`[${fault}]`)) return false;
    const key = `${fault}|${prompt}`;
    const count = fired.get(key) ?? 0;
    if (count >= times) return false;
    fired.set(key, count + 1);
    return true;
  };
  const queuedPolls = options.queuedPolls ?? 1;
  const progressPolls = options.progressPolls ?? 2;
  let nextId = 1;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, 500, 'server_error', String(error)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedMs = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    stats.requests.push(`${req.method} ${url.pathname}`);
    const azure = url.pathname.startsWith('/openai/v1/');
    const path = url.pathname.replace(/^\/openai\/v1\//, '/v1/');
    const bearer = req.headers.authorization === `Bearer ${options.key}`;
    if (!(bearer || (azure && req.headers['api-key'] === options.key))) {
      // Echoes the key it was given, so the client's redaction is tested.
      const given = req.headers.authorization?.replace(/^Bearer /, '') ?? String(req.headers['api-key'] ?? '');
      return sendError(res, 401, 'invalid_api_key', `Incorrect API key provided: ${given}.`, 'invalid_request_error');
    }
    const body = await readBody(req);

    if (req.method === 'POST' && path === '/v1/videos') {
      const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
      const text = (name: string): string => {
        const value = form.get(name);
        return typeof value === 'string' ? value : '';
      };
      const prompt = text('prompt');
      const model = text('model') || 'sora-2';
      if (fire('429', prompt)) {
        res.setHeader('retry-after-ms', '50');
        return sendError(res, 429, 'rate_limit_exceeded', 'Rate limit reached for requests', 'requests');
      }
      if (fire('500', prompt, 2)) return sendError(res, 500, 'server_error', 'The server had an error while processing your request.', 'server_error');
      if (options.retiredModels?.includes(model)) {
        return sendError(res, 404, 'model_not_found', `The model \`${model}\` has been shut down: the Videos API and the Sora 2 models were shut down on September 24, 2026.`);
      }
      if (azure ? !(options.azureDeployments ?? []).includes(model) : !MODELS.includes(model)) {
        return azure
          ? sendError(res, 404, 'video_generation_user_error', `The deployment '${model}' does not exist.`)
          : sendError(res, 400, 'invalid_value', `Invalid value for 'model': '${model}'.`, 'invalid_request_error', 'model');
      }
      const seconds = text('seconds') || '4';
      if (!SECONDS.includes(seconds)) return sendError(res, 400, 'invalid_value', `Invalid value: '${seconds}'. Supported values are: '4', '8', and '12'.`, 'invalid_request_error', 'seconds');
      const size = text('size') || '720x1280';
      if (!SIZES.includes(size)) return sendError(res, 400, 'invalid_value', `Invalid value: '${size}'.`, 'invalid_request_error', 'size');
      if (prompt.includes('[refuse]')) return sendError(res, 400, 'moderation_blocked', 'Your request was blocked by our moderation system.', 'invalid_request_error');
      const reference = form.get('input_reference');
      if (reference !== null && typeof reference !== 'string') {
        if (!['image/png', 'image/jpeg', 'image/webp'].includes(reference.type)) {
          return sendError(res, 400, 'invalid_type', `Invalid file type for 'input_reference': ${reference.type}.`, 'invalid_request_error', 'input_reference');
        }
        stats.references.push({ name: reference.name, type: reference.type, bytes: reference.size });
      }
      const job: FakeJob = { id: `video_${String(nextId++).padStart(4, '0')}`, model, prompt, seconds, size, polls: 0, createdAt: Math.floor(Date.now() / 1000) };
      started(job, arrivedMs);
      return sendJson(res, 200, videoObject(job));
    }

    if (req.method === 'POST' && path === '/v1/videos/extensions') {
      const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
      const prompt = String(form.get('prompt') ?? '');
      const seconds = String(form.get('seconds') ?? '');
      const video = form.get('video');
      if (video === null || typeof video === 'string') return sendError(res, 400, 'invalid_type', "Expected a file for 'video'.", 'invalid_request_error', 'video');
      if (!EXTENSION_SECONDS.includes(seconds)) return sendError(res, 400, 'invalid_value', `Invalid value: '${seconds}'. Supported values are: '4', '8', '12', '16', and '20'.`, 'invalid_request_error', 'seconds');
      if (options.extensionVideo === undefined) return sendError(res, 400, 'invalid_request_error', 'Extensions are not enabled on this server.');
      const uploaded = Buffer.from(await video.arrayBuffer());
      stats.extensions.push({ bytes: uploaded.length, seconds, prompt });
      const job: FakeJob = { id: `video_${String(nextId++).padStart(4, '0')}`, model: 'sora-2', prompt, seconds, size: '1280x720', polls: 0, createdAt: Math.floor(Date.now() / 1000), stitching: true };
      options.extensionVideo(uploaded, prompt, Number(seconds)).then(
        (stitched) => Object.assign(job, { video: stitched, stitching: false }),
        (error: unknown) => Object.assign(job, { stitchError: String(error), stitching: false }),
      );
      started(job, arrivedMs);
      return sendJson(res, 200, videoObject(job));
    }

    const remix = /^\/v1\/videos\/([^/]+)\/remix$/.exec(path);
    if (req.method === 'POST' && remix) {
      const from = jobs.get(decodeURIComponent(remix[1] ?? ''));
      if (from === undefined) return sendError(res, 404, 'not_found', `Video '${remix[1]}' not found.`, 'invalid_request_error');
      const json = JSON.parse(body.toString('utf8') || '{}') as { prompt?: unknown };
      const prompt = typeof json.prompt === 'string' ? json.prompt : '';
      if (prompt === '') return sendError(res, 400, 'invalid_value', "Missing required parameter: 'prompt'.", 'invalid_request_error', 'prompt');
      stats.remixes.push({ from: from.id, prompt });
      const job: FakeJob = { id: `video_${String(nextId++).padStart(4, '0')}`, model: from.model, prompt, seconds: from.seconds, size: from.size, polls: 0, createdAt: Math.floor(Date.now() / 1000), remixedFrom: from.id };
      started(job, arrivedMs);
      return sendJson(res, 200, videoObject(job));
    }

    const match = /^\/v1\/videos\/([^/]+)(\/content)?$/.exec(path);
    const job = match ? jobs.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (req.method === 'GET' && match && job === undefined) return sendError(res, 404, 'not_found', `Video '${match[1]}' not found.`, 'invalid_request_error');
    if (req.method === 'GET' && job && !match?.[2]) {
      stats.polls += 1;
      if (fire('poll-429', job.prompt)) {
        res.setHeader('retry-after', new Date(Date.now() + 1000).toUTCString());
        return sendError(res, 429, 'rate_limit_exceeded', 'Rate limit reached for requests', 'requests');
      }
      if (fire('hang', job.prompt)) return; // never answered: the client's timeout must fire
      job.polls += 1;
      const object = videoObject(job);
      if (object.status === 'failed') inFlight.delete(job.id);
      if (object.status !== 'completed' && object.status !== 'failed' && options.pollAfterMs !== undefined) res.setHeader('openai-poll-after-ms', String(options.pollAfterMs));
      return sendJson(res, 200, object);
    }
    if (req.method === 'GET' && job && match?.[2]) {
      if (videoObject(job).status !== 'completed') return sendError(res, 400, 'invalid_request_error', 'Video is not ready yet.', 'invalid_request_error');
      stats.downloads += 1;
      const bytes = job.video ?? options.video(job.prompt);
      if (fire('drop', job.prompt)) {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      const served = job.prompt.includes('[truncate]') ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes;
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(served.length) });
      res.end(served, () => inFlight.delete(job.id));
      return;
    }
    return sendError(res, 404, 'not_found', `Invalid URL (${req.method} ${url.pathname})`, 'invalid_request_error');
  }

  function videoObject(job: FakeJob): Record<string, unknown> {
    const base = { id: job.id, object: 'video', model: job.model, created_at: job.createdAt, prompt: job.prompt, size: job.size, seconds: job.seconds, remixed_from_video_id: job.remixedFrom ?? null };
    const queued = job.polls <= queuedPolls;
    const running = !queued && (job.polls <= queuedPolls + progressPolls || job.prompt.includes('[stuck]') || job.stitching === true);
    if (queued) return { ...base, status: 'queued', progress: 0, completed_at: null, expires_at: null, error: null };
    if (running) {
      const progress = Math.min(99, Math.round((100 * (job.polls - queuedPolls)) / (progressPolls + 1)));
      return { ...base, status: 'in_progress', progress, completed_at: null, expires_at: null, error: null };
    }
    const failure = job.stitchError !== undefined
      ? { code: 'internal_error', message: `The fake server could not stitch the extension: ${job.stitchError}` }
      : job.prompt.includes('[refuse-later]')
      ? { code: 'moderation_blocked', message: 'The generated video was blocked by our content policy.' }
      : job.prompt.includes('[fail]')
        ? { code: 'internal_error', message: 'Video generation failed due to an internal error.' }
        : null;
    if (failure) return { ...base, status: 'failed', progress: 100, completed_at: null, expires_at: null, error: failure };
    return { ...base, status: 'completed', progress: 100, completed_at: job.createdAt + 1, expires_at: job.createdAt + 86_400, error: null };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, type = 'invalid_request_error', param: string | null = null): void {
  sendJson(res, status, { error: { message, type, param, code } });
}
