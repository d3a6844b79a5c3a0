import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultBudget, faultsInText, parseJsonBody, sendJson, sendVideo, startHttpServer, type ClipSource, type Fault, type SeenRequest } from './fake-server-kit.js';

/**
 * A fake Gemini API for Veo: `predictLongRunning` → an operation polled by name → `done` with
 * generated samples whose `files/{id}:download` URL 302-redirects (with the key) to a blob. An
 * extension's `instances[0].video.uri` must name a video this server generated.
 */

export const FAKE_VEO_MODELS = ['veo-3.1-generate-preview', 'veo-3.1-fast-generate-preview', 'veo-3.0-generate-001', 'veo-3.0-fast-generate-001'] as const;

export interface FakeVeoOptions {
  key: string;
  clips: ClipSource;
  /** Polls that answer `done:false` before a job finishes. */
  pendingPolls?: number;
}

interface VeoJob {
  name: string;
  promptText: string;
  polls: number;
  faults: FaultBudget;
  fileId: string;
}

export interface FakeVeoServer {
  url: string;
  /** Operations created, by the create calls that succeeded. */
  createdCount(): number;
  requests: SeenRequest[];
  /** Bodies of the create calls that were accepted. */
  createBodies: unknown[];
  /** Test control: plant a fault for the next requests, whatever the prompt. */
  arm(fault: Fault, count?: number): void;
  close(): Promise<void>;
}

function googleError(response: ServerResponse, code: number, status: string, message: string, headers: Record<string, string> = {}, details: unknown[] = []): void {
  sendJson(response, code, { error: { code, message, status, details } }, headers);
}

export async function startFakeVeoServer(options: FakeVeoOptions): Promise<FakeVeoServer> {
  const pendingPolls = options.pendingPolls ?? 2;
  const jobs = new Map<string, VeoJob>();
  const blobs = new Map<string, VeoJob>();
  const armed = new FaultBudget();
  const createFaultsByPrompt = new Map<string, FaultBudget>();
  const requests: SeenRequest[] = [];
  const createBodies: unknown[] = [];

  const authorized = (request: IncomingMessage, url: URL): boolean =>
    request.headers['x-goog-api-key'] === options.key || url.searchParams.get('key') === options.key;

  const fires = (fault: Fault, job?: VeoJob): boolean => armed.take(fault) || (job?.faults.take(fault) ?? false);

  const server = await startHttpServer((request, response, url, rawBody) => {
    const path = url.pathname;
    const isBlob = path.startsWith('/blob/');
    const ok = isBlob || authorized(request, url);
    requests.push({ method: request.method ?? '', path, authorized: ok });
    if (!ok) return googleError(response, 401, 'UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.');

    const create = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(path);
    if (request.method === 'POST' && create !== null) return handleCreate(create[1] ?? '', rawBody, response);
    const poll = /^\/v1beta\/(models\/[^/]+\/operations\/[^/]+)$/.exec(path);
    if (request.method === 'GET' && poll !== null) return handlePoll(poll[1] ?? '', response);
    const file = /^\/v1beta\/files\/([^/:]+):download$/.exec(path);
    if (request.method === 'GET' && file !== null) {
      const job = blobs.get(file[1] ?? '');
      if (job === undefined) return googleError(response, 404, 'NOT_FOUND', `File files/${file[1]} was not found.`);
      response.writeHead(302, { location: `${server.url}/blob/${job.fileId}.mp4` });
      return void response.end();
    }
    const blob = /^\/blob\/([^/]+)\.mp4$/.exec(path);
    if (request.method === 'GET' && blob !== null) {
      const job = blobs.get(blob[1] ?? '');
      if (job === undefined) return void response.writeHead(404).end();
      if (armed.take('drop-download')) job.faults.arm('drop-download');
      if (armed.take('truncate-download')) job.faults.arm('truncate-download');
      return sendVideo(response, options.clips(job.promptText, true), job.faults);
    }
    return googleError(response, 404, 'NOT_FOUND', `No route ${request.method} ${path}`);
  });

  function handleCreate(model: string, rawBody: Buffer, response: ServerResponse): void {
    const body = parseJsonBody(rawBody) as { instances?: { prompt?: unknown; image?: { bytesBase64Encoded?: unknown; mimeType?: unknown } }[]; parameters?: Record<string, unknown> } | undefined;
    const instance = body?.instances?.[0];
    const promptText = typeof instance?.prompt === 'string' ? instance.prompt : '';
    let promptFaults = createFaultsByPrompt.get(promptText);
    if (promptFaults === undefined) {
      promptFaults = new FaultBudget(faultsInText(promptText));
      createFaultsByPrompt.set(promptText, promptFaults);
    }
    const fires = (fault: Fault): boolean => armed.take(fault) || promptFaults.take(fault);
    if (fires('hang-create')) return;
    if (fires('429-create')) {
      return googleError(response, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', { 'retry-after': '1' }, [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
      ]);
    }
    if (fires('500-create')) return googleError(response, 500, 'INTERNAL', 'An internal error has occurred.');
    if (fires('503-create')) return googleError(response, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    if (!(FAKE_VEO_MODELS as readonly string[]).includes(model)) {
      return googleError(response, 404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for predictLongRunning.`);
    }
    if (promptText === '') return googleError(response, 400, 'INVALID_ARGUMENT', 'instances[0].prompt is required.');
    const parameters = body?.parameters ?? {};
    for (const refused of ['seed', 'generateAudio']) {
      if (refused in parameters) return googleError(response, 400, 'INVALID_ARGUMENT', `${refused} parameter is not supported in Gemini API.`);
    }
    if (![4, 6, 8].includes(Number(parameters['durationSeconds'] ?? 8))) return googleError(response, 400, 'INVALID_ARGUMENT', 'durationSeconds must be 4, 6 or 8.');
    if (!['16:9', '9:16'].includes(String(parameters['aspectRatio'] ?? '16:9'))) return googleError(response, 400, 'INVALID_ARGUMENT', 'aspectRatio must be 16:9 or 9:16.');
    if (!['720p', '1080p', '4k'].includes(String(parameters['resolution'] ?? '720p'))) return googleError(response, 400, 'INVALID_ARGUMENT', 'resolution must be 720p, 1080p or 4k.');
    if (instance?.image !== undefined && (typeof instance.image.bytesBase64Encoded !== 'string' || typeof instance.image.mimeType !== 'string')) {
      return googleError(response, 400, 'INVALID_ARGUMENT', 'instances[0].image needs bytesBase64Encoded and mimeType.');
    }
    // An extension names a previous Veo output by its file URI; the Gemini API takes no video bytes.
    const video = (instance as { video?: { uri?: unknown } } | undefined)?.video;
    if (video !== undefined) {
      const fileId = typeof video.uri === 'string' ? /files\/([^/:?]+)/.exec(video.uri)?.[1] : undefined;
      if (fileId === undefined || !blobs.has(fileId)) return googleError(response, 400, 'INVALID_ARGUMENT', 'instances[0].video must be the uri of a video this API generated.');
    }
    if (fires('refuse-sync')) {
      return googleError(response, 400, 'INVALID_ARGUMENT', "The prompt couldn't be submitted: it was blocked by the safety filters (usage guidelines).");
    }
    const job: VeoJob = {
      name: `models/${model}/operations/${randomUUID().replaceAll('-', '').slice(0, 12)}`,
      promptText,
      polls: 0,
      faults: new FaultBudget(faultsInText(promptText)),
      fileId: randomUUID().replaceAll('-', '').slice(0, 16),
    };
    jobs.set(job.name, job);
    createBodies.push(body);
    sendJson(response, 200, { name: job.name });
  }

  function handlePoll(name: string, response: ServerResponse): void {
    const job = jobs.get(name);
    if (job === undefined) return googleError(response, 404, 'NOT_FOUND', `Operation ${name} not found.`);
    if (fires('429-poll', job)) return googleError(response, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted.', { 'retry-after': '1' });
    if (fires('503-poll', job)) return googleError(response, 503, 'UNAVAILABLE', 'The service is currently unavailable.');
    job.polls += 1;
    if (job.polls <= pendingPolls || job.faults.has('stuck')) return sendJson(response, 200, { name, metadata: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata' } });
    if (job.faults.has('fail')) return sendJson(response, 200, { name, done: true, error: { code: 13, message: 'Video generation failed due to an internal error.' } });
    const responseType = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
    if (job.faults.has('refuse')) {
      return sendJson(response, 200, {
        name,
        done: true,
        response: {
          '@type': responseType,
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: ["We encountered an issue with the audio for your prompt. You won't be charged for this request."],
          },
        },
      });
    }
    blobs.set(job.fileId, job);
    sendJson(response, 200, {
      name,
      done: true,
      response: {
        '@type': responseType,
        generateVideoResponse: { generatedSamples: [{ video: { uri: `https://generativelanguage.googleapis.com/v1beta/files/${job.fileId}:download?alt=media` } }] },
      },
    });
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
