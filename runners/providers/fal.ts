import { readFileSync } from 'node:fs';
import type { Prompt } from '../../prompts/schema.js';
import type {
  HttpRequestSpec,
  HttpResponse,
  PollResult,
  ProviderBase,
  ProviderProtocol,
  ProviderRequest,
  ProviderSourceClip,
  SubmitResult,
  TerminalFailure,
} from '../provider-protocol.js';
import type { GenerationMode, GeneratorInfo } from '../types.js';
import { fitDurationS, secondsRange } from './fit-duration.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt, trimBaseUrl } from './json-shape.js';
import { readStartImage } from './start-image.js';

/**
 * fal's queue (fal-ai/fal-js `queue.ts`): submit to the full endpoint id, then status, result and
 * cancel under the endpoint's first two path segments only (`owner/alias/requests/{id}`).
 * COMPLETED says only that the request ended: the result call says whether it made a video.
 */

/** How an endpoint spells its duration: `5`, `"5"` or `"5s"`. */
type DurationWire = 'number' | 'string' | 'seconds-suffix';

interface FalEndpoint {
  description: string;
  mode: GenerationMode;
  durationsS: readonly number[];
  durationWire: DurationWire;
  /** Ratios the `aspect_ratio` field takes; absent on image-to-video endpoints, whose frame follows the image. */
  aspectRatios?: readonly Prompt['aspectRatio'][];
  resolution?: '720p';
  /** The field carrying the start image (image-to-video). */
  imageField?: 'image_url';
  /** `generate_audio` boolean, or a silent model. */
  audio: 'flag' | 'none';
  seed: boolean;
  /** USD per second, with audio where the endpoint has the flag (silent costs less: the estimate errs high). */
  priceUsdPerS: number;
}

const PIKA = { durationsS: [5, 10], durationWire: 'number', resolution: '720p', audio: 'none', seed: true, priceUsdPerS: 0.04 } as const;
const VEO = { durationsS: [4, 6, 8], durationWire: 'seconds-suffix', resolution: '720p', audio: 'flag', seed: true } as const;
/**
 * Veo's extend endpoints take the clip as `video_url` and add 7 s; the field and the length come from
 * third-party clients of fal, not fal-js's endpoint types: [UNCERTAIN]. Sent without a duration.
 */
const VEO_EXTEND = { mode: 'video-extension', durationsS: [7], durationWire: 'seconds-suffix', resolution: '720p', audio: 'flag', seed: true, aspectRatios: ['16:9', '9:16'] } as const;

/**
 * fal endpoints physeval runs. Inputs from fal-js `types/endpoints.ts` (2026-08). fal publishes
 * prices per endpoint page only; every price here is a third-party figure: [UNCERTAIN].
 */
export const FAL_ENDPOINTS = {
  'fal-ai/pika/v2.2/text-to-video': { ...PIKA, description: 'Pika 2.2 text-to-video on fal, silent', mode: 'text-to-video', aspectRatios: ['16:9', '9:16', '1:1'] },
  'fal-ai/pika/v2.2/image-to-video': { ...PIKA, description: 'Pika 2.2 image-to-video on fal, silent', mode: 'image-to-video', imageField: 'image_url' },
  'fal-ai/kling-video/v3/pro/text-to-video': {
    description: 'Kling 3 Pro text-to-video on fal, audio on request',
    mode: 'text-to-video',
    durationsS: secondsRange(3, 15),
    durationWire: 'string',
    aspectRatios: ['16:9', '9:16', '1:1'],
    audio: 'flag',
    seed: false,
    priceUsdPerS: 0.168,
  },
  'fal-ai/veo3.1': { ...VEO, description: 'Google Veo 3.1 on fal, audio on request', mode: 'text-to-video', aspectRatios: ['16:9', '9:16'], priceUsdPerS: 0.4 },
  'fal-ai/veo3.1/fast': { ...VEO, description: 'Google Veo 3.1 Fast on fal, audio on request', mode: 'text-to-video', aspectRatios: ['16:9', '9:16'], priceUsdPerS: 0.15 },
  'fal-ai/veo3.1/image-to-video': { ...VEO, description: 'Google Veo 3.1 image-to-video on fal, audio on request', mode: 'image-to-video', imageField: 'image_url', priceUsdPerS: 0.4 },
  'fal-ai/veo3.1/extend-video': { ...VEO_EXTEND, description: 'Google Veo 3.1 video extension on fal (+7 s), audio on request', priceUsdPerS: 0.4 },
  'fal-ai/veo3.1/fast/extend-video': { ...VEO_EXTEND, description: 'Google Veo 3.1 Fast video extension on fal (+7 s), audio on request', priceUsdPerS: 0.15 },
  'fal-ai/luma-dream-machine/ray-2': {
    description: 'Luma Ray 2 text-to-video on fal, silent',
    mode: 'text-to-video',
    durationsS: [5, 9],
    durationWire: 'seconds-suffix',
    aspectRatios: ['16:9', '9:16', '1:1', '4:3'],
    resolution: '720p',
    audio: 'none',
    seed: false,
    priceUsdPerS: 0.1,
  },
} as const satisfies Record<string, FalEndpoint>;

export type FalEndpointId = keyof typeof FAL_ENDPOINTS;

export function isFalEndpoint(id: string): id is FalEndpointId {
  return Object.hasOwn(FAL_ENDPOINTS, id);
}

export function falInfo(endpointId: FalEndpointId): GeneratorInfo {
  const entry: FalEndpoint = FAL_ENDPOINTS[endpointId];
  return { id: `fal:${endpointId}`, description: entry.description, modes: [entry.mode], priceUsdPerS: entry.priceUsdPerS, needsKey: true };
}

/** Status, result and cancel live under `owner/alias` only: fal drops the endpoint's subpath there. */
export function falRequestRoot(endpointId: string): string {
  return endpointId.split('/').slice(0, 2).join('/');
}

export function createFalProtocol(endpointId: FalEndpointId): ProviderProtocol {
  const entry: FalEndpoint = FAL_ENDPOINTS[endpointId];
  const root = falRequestRoot(endpointId);
  // The scheme word is `Key`, not `Bearer`.
  const headers = (base: ProviderBase): Record<string, string> => ({ authorization: `Key ${base.key}` });
  const requestUrl = (jobId: string, base: ProviderBase): string => `${trimBaseUrl(base.baseUrl)}/${root}/requests/${encodeURIComponent(jobId)}`;
  return {
    provider: 'fal',
    keyEnv: 'FAL_KEY',
    baseUrlEnv: 'FAL_QUEUE_BASE_URL',
    defaultBaseUrl: 'https://queue.fal.run',
    pollIntervalS: 5,
    prepare: (prompt, seed) => prepareFal(endpointId, entry, prompt, seed),
    submitRequest: (request, base) => ({
      method: 'POST',
      url: `${trimBaseUrl(base.baseUrl)}/${endpointId}`,
      headers: { ...headers(base), 'content-type': 'application/json' },
      body: { kind: 'json', value: request.body },
    }),
    parseSubmit: parseFalSubmit,
    pollRequest: (jobId, base) => ({ method: 'GET', url: `${requestUrl(jobId, base)}/status?logs=1`, headers: headers(base) }),
    parsePoll: (response, jobId, base) => parseFalStatus(response, jobId, { method: 'GET', url: requestUrl(jobId, base), headers: headers(base) }),
    parseResult: parseFalResult,
    ...(entry.mode === 'video-extension' ? { fromClip: { modes: ['video-extension'], prepare: (prompt, seed, source) => prepareFalExtension(endpointId, entry, prompt, seed, source) } } : {}),
  };
}

/** An extend endpoint's request: the source (cut at the boundary) inline as a data URI, the prompt, 7 s more. */
function prepareFalExtension(endpointId: string, entry: FalEndpoint, prompt: Prompt, seed: number, source: ProviderSourceClip | null): ProviderRequest | { unsupported: string } | null {
  if (prompt.fromClip?.as !== 'extension') return null;
  if (entry.aspectRatios !== undefined && !entry.aspectRatios.includes(prompt.aspectRatio)) {
    return { unsupported: `fal ${endpointId} makes ${entry.aspectRatios.join(', ')} clips, not ${prompt.aspectRatio}` };
  }
  const extensionS = entry.durationsS[0] ?? prompt.durationS;
  let videoUrl = '<source clip>';
  if (source !== null) {
    try {
      videoUrl = `data:video/mp4;base64,${readFileSync(source.videoPath).toString('base64')}`;
    } catch (error) {
      return { unsupported: `the source clip ${source.videoPath} cannot be read (${error instanceof Error ? error.message : String(error)})` };
    }
  }
  const body: Record<string, unknown> = { prompt: prompt.text, video_url: videoUrl, resolution: entry.resolution ?? '720p', aspect_ratio: prompt.aspectRatio };
  const notes = [`POST ${endpointId}: the source clip as video_url (a data URI), +${extensionS} s`];
  if (prompt.durationS !== extensionS) notes.push(`the endpoint extends by ${extensionS} s; the prompt asks for ${prompt.durationS} s`);
  if (entry.seed) body['seed'] = seed;
  if (entry.audio === 'flag') body['generate_audio'] = prompt.expect.audibleImpacts;
  return { prompt, seed, mode: 'video-extension', body, billedSeconds: extensionS, notes };
}

function durationValue(seconds: number, wire: DurationWire): number | string {
  if (wire === 'number') return seconds;
  return wire === 'string' ? String(seconds) : `${seconds}s`;
}

function prepareFal(endpointId: string, entry: FalEndpoint, prompt: Prompt, seed: number): ProviderRequest | { unsupported: string } {
  if (entry.mode === 'video-extension') return { unsupported: `fal ${endpointId} continues a clip: it takes prompts with fromClip only` };
  if (entry.mode === 'image-to-video' && prompt.startImage === undefined) return { unsupported: `fal ${endpointId} needs a start image (image-to-video only)` };
  if (entry.mode === 'text-to-video' && prompt.startImage !== undefined) return { unsupported: `fal ${endpointId} is text-to-video; use its image-to-video endpoint for a start image` };
  if (entry.aspectRatios !== undefined && !entry.aspectRatios.includes(prompt.aspectRatio)) {
    return { unsupported: `fal ${endpointId} makes ${entry.aspectRatios.join(', ')} clips, not ${prompt.aspectRatio}` };
  }
  const durationS = fitDurationS(prompt.durationS, entry.durationsS);
  if (durationS === null) return { unsupported: `fal ${endpointId} makes clips of at most ${Math.max(...entry.durationsS)} s; the prompt asks for ${prompt.durationS} s` };

  const body: Record<string, unknown> = { prompt: prompt.text, duration: durationValue(durationS, entry.durationWire) };
  const notes = [`POST ${endpointId}: duration ${JSON.stringify(body['duration'])}${durationS === prompt.durationS ? '' : ` (the prompt asks for ${prompt.durationS} s)`}`];
  if (entry.aspectRatios !== undefined) body['aspect_ratio'] = prompt.aspectRatio;
  if (entry.resolution !== undefined) body['resolution'] = entry.resolution;
  if (entry.imageField !== undefined && prompt.startImage !== undefined) {
    const image = readStartImage(prompt.startImage);
    if ('problem' in image) return { unsupported: image.problem };
    body[entry.imageField] = image.dataUri;
  }
  if (entry.seed) body['seed'] = seed;
  else notes.push(`the seed cannot be honoured: fal ${endpointId} takes no seed`);
  if (entry.audio === 'flag') body['generate_audio'] = prompt.expect.audibleImpacts;
  else if (prompt.expect.audibleImpacts) notes.push(`fal ${endpointId} makes silent video; the prompt's impact sounds cannot be judged`);
  return { prompt, seed, mode: entry.mode, body, billedSeconds: durationS, notes };
}

/** One `detail` entry of a fal error body, which is either a string or a list of `{loc, msg, type}`. */
interface FalErrorDetail {
  type?: string;
  msg: string;
}

function falErrorDetails(json: unknown): FalErrorDetail[] {
  if (!isRecord(json)) return [];
  const detail = json['detail'];
  if (typeof detail === 'string') return [{ type: stringAt(json, 'error_type'), msg: detail }];
  return arrayAt(json, 'detail').map((item) => ({ type: stringAt(item, 'type'), msg: stringAt(item, 'msg') ?? JSON.stringify(item) }));
}

function falErrorOutcome(response: HttpResponse, during: string): TerminalFailure {
  const details = falErrorDetails(response.json);
  const text = details.length > 0 ? details.map((detail) => (detail.type === undefined ? detail.msg : `${detail.msg} (${detail.type})`)).join('; ') : response.text.slice(0, 200);
  const message = `fal answered HTTP ${response.status} ${during}: ${text}`;
  if (details.some((detail) => detail.type === 'content_policy_violation')) return { kind: 'refused', message };
  if (response.status === 404) return { kind: 'unavailable', message };
  return { kind: 'failed', message };
}

function parseFalSubmit(response: HttpResponse): SubmitResult {
  if (response.status < 200 || response.status >= 300) return falErrorOutcome(response, 'to the submit call');
  const requestId = stringAt(response.json, 'request_id');
  if (requestId === undefined || requestId === '') return { kind: 'failed', message: `fal returned no request_id: ${response.text.slice(0, 200)}` };
  return { kind: 'job', jobId: requestId };
}

/** The last log line of a running request, a human hint of where it is. */
function lastLogMessage(json: unknown): string | undefined {
  const logs = arrayAt(json, 'logs');
  return stringAt(logs[logs.length - 1], 'message');
}

function parseFalStatus(response: HttpResponse, jobId: string, resultRequest: HttpRequestSpec): PollResult {
  if (response.status < 200 || response.status >= 300) return falErrorOutcome(response, `polling request ${jobId}`);
  const status = stringAt(response.json, 'status');
  switch (status) {
    case 'IN_QUEUE': {
      const position = numberAt(response.json, 'queue_position');
      return position === undefined ? { kind: 'pending', note: 'queued' } : { kind: 'pending', note: 'queued', queuePosition: position };
    }
    case 'IN_PROGRESS':
      return { kind: 'pending', note: lastLogMessage(response.json) ?? 'in progress' };
    case 'COMPLETED':
      return { kind: 'fetch-result', request: resultRequest };
    default:
      return { kind: 'failed', message: `fal request ${jobId} has an unknown status ${JSON.stringify(status)}` };
  }
}

function parseFalResult(response: HttpResponse, jobId: string): Exclude<PollResult, { kind: 'fetch-result' }> {
  if (response.status < 200 || response.status >= 300) return falErrorOutcome(response, `for the result of request ${jobId}`);
  const url = stringAt(recordAt(response.json, 'video'), 'url');
  if (url === undefined) return { kind: 'failed', message: `fal request ${jobId} completed without a video URL: ${response.text.slice(0, 200)}` };
  // The CDN URL needs no auth: never send the key to it.
  return { kind: 'succeeded', download: { method: 'GET', url, headers: {} } };
}
