import type { Prompt } from '../../prompts/schema.js';
import type { HttpResponse, PollResult, ProviderBase, ProviderProtocol, ProviderRequest, SubmitResult, TerminalFailure } from '../provider-protocol.js';
import type { GenerationMode, GeneratorInfo } from '../types.js';
import { fitDurationS, secondsRange } from './fit-duration.js';
import { arrayAt, numberAt, stringAt, trimBaseUrl } from './json-shape.js';
import { readStartImage } from './start-image.js';

/**
 * Runway's developer API (runwayml/sdk-node): `POST /v1/text_to_video` or `/v1/image_to_video`
 * returns a task id; `GET /v1/tasks/{id}` runs PENDING / THROTTLED / RUNNING → SUCCEEDED (unsigned
 * output URLs) or FAILED (`failureCode`, `SAFETY.*` for moderation).
 */

type RunwayEndpoint = 'text_to_video' | 'image_to_video';
type RatioByAspect = Partial<Record<Prompt['aspectRatio'], string>>;

interface RunwayModel {
  description: string;
  /** Wire ratio ("width:height" in pixels) for each prompt aspect, per endpoint the model is served on. */
  endpoints: Partial<Record<RunwayEndpoint, RatioByAspect>>;
  durationsS: readonly number[];
  /** `flag`: the request's `audio` boolean; `none`: silent video; `always`: audio with no way to turn it off. */
  audio: 'flag' | 'none' | 'always';
  seed: boolean;
  /** USD per second of video, with audio where the model has the flag (silent costs less: the estimate errs high). */
  priceUsdPerS: number;
}

const HD_WIDE = { '16:9': '1280:720', '9:16': '720:1280' } as const;
const GEN4_IMAGE_RATIOS = { ...HD_WIDE, '1:1': '960:960', '4:3': '1104:832' } as const;

/**
 * Runway models physeval runs. Ratios, durations, endpoints and flags: runwayml/sdk-node (2026-07).
 * Prices are credits at $0.01 from Runway's pricing page as reported by resellers: all [UNCERTAIN];
 * seedance2 durations (4..15 s) and gemini_omni_flash's audio are [UNCERTAIN] too.
 */
export const RUNWAY_MODELS = {
  gen4_turbo: {
    description: 'Runway Gen-4 Turbo, image-to-video only, silent',
    endpoints: { image_to_video: GEN4_IMAGE_RATIOS },
    durationsS: secondsRange(2, 10),
    audio: 'none',
    seed: true,
    priceUsdPerS: 0.05,
  },
  'gen4.5': {
    description: 'Runway Gen-4.5, silent',
    endpoints: { text_to_video: HD_WIDE, image_to_video: GEN4_IMAGE_RATIOS },
    durationsS: secondsRange(2, 10),
    audio: 'none',
    seed: true,
    priceUsdPerS: 0.12,
  },
  'veo3.1': {
    description: 'Google Veo 3.1 through Runway, audio on request',
    endpoints: { text_to_video: HD_WIDE, image_to_video: HD_WIDE },
    durationsS: [4, 6, 8],
    audio: 'flag',
    seed: false,
    priceUsdPerS: 0.4,
  },
  'veo3.1_fast': {
    description: 'Google Veo 3.1 Fast through Runway, audio on request',
    endpoints: { text_to_video: HD_WIDE, image_to_video: HD_WIDE },
    durationsS: [4, 6, 8],
    audio: 'flag',
    seed: false,
    priceUsdPerS: 0.15,
  },
  veo3: {
    description: 'Google Veo 3 through Runway, 8 s clips with audio',
    endpoints: { text_to_video: HD_WIDE, image_to_video: HD_WIDE },
    durationsS: [8],
    audio: 'always',
    seed: false,
    priceUsdPerS: 0.4,
  },
  seedance2: {
    description: 'ByteDance Seedance 2 through Runway, audio on request',
    endpoints: { text_to_video: { ...HD_WIDE, '1:1': '960:960', '4:3': '1112:834' }, image_to_video: { ...HD_WIDE, '1:1': '960:960', '4:3': '1112:834' } },
    durationsS: secondsRange(4, 15),
    audio: 'flag',
    seed: false,
    priceUsdPerS: 0.2,
  },
  gemini_omni_flash: {
    description: 'Google Gemini Omni Flash through Runway',
    endpoints: { text_to_video: HD_WIDE, image_to_video: HD_WIDE },
    durationsS: secondsRange(3, 10),
    audio: 'always',
    seed: false,
    priceUsdPerS: 0.15,
  },
} as const satisfies Record<string, RunwayModel>;

export type RunwayModelName = keyof typeof RUNWAY_MODELS;

export function isRunwayModel(name: string): name is RunwayModelName {
  return Object.hasOwn(RUNWAY_MODELS, name);
}

export function runwayInfo(model: RunwayModelName): GeneratorInfo {
  const entry: RunwayModel = RUNWAY_MODELS[model];
  const modes: GenerationMode[] = [];
  if (entry.endpoints.text_to_video !== undefined) modes.push('text-to-video');
  if (entry.endpoints.image_to_video !== undefined) modes.push('image-to-video');
  return { id: `runway:${model}`, description: entry.description, modes, priceUsdPerS: entry.priceUsdPerS, needsKey: true };
}

/** The API version every request names; the server refuses a missing or unknown one. */
const RUNWAY_API_VERSION = '2024-11-06';
/** Largest image data URI Runway takes in a request body (docs.dev.runwayml.com/assets/inputs: 5 MB). */
const MAX_DATA_URI_BYTES = 5 * 1024 * 1024;
/** Runway counts the prompt in UTF-16 code units, as JavaScript's `length` does. */
const MAX_PROMPT_TEXT_UNITS = 1000;

export function createRunwayProtocol(model: RunwayModelName): ProviderProtocol {
  const entry: RunwayModel = RUNWAY_MODELS[model];
  const headers = (base: ProviderBase): Record<string, string> => ({
    authorization: `Bearer ${base.key}`,
    'x-runway-version': RUNWAY_API_VERSION,
  });
  return {
    provider: 'runway',
    keyEnv: 'RUNWAYML_API_SECRET',
    baseUrlEnv: 'RUNWAYML_BASE_URL',
    defaultBaseUrl: 'https://api.dev.runwayml.com',
    // The SDK's wait helper polls every 6 s; Runway updates a task no faster than every 5 s.
    pollIntervalS: 6,
    prepare: (prompt, seed) => prepareRunway(model, entry, prompt, seed),
    submitRequest: (request, base) => ({
      method: 'POST',
      url: `${trimBaseUrl(base.baseUrl)}/v1/${endpointOf(request)}`,
      headers: { ...headers(base), 'content-type': 'application/json' },
      body: { kind: 'json', value: request.body },
    }),
    parseSubmit: parseRunwaySubmit,
    pollRequest: (jobId, base) => ({ method: 'GET', url: `${trimBaseUrl(base.baseUrl)}/v1/tasks/${encodeURIComponent(jobId)}`, headers: headers(base) }),
    parsePoll: parseRunwayPoll,
  };
}

/** The endpoint follows from the body: only image-to-video requests carry `promptImage`. */
function endpointOf(request: ProviderRequest): RunwayEndpoint {
  return request.body['promptImage'] === undefined ? 'text_to_video' : 'image_to_video';
}

function prepareRunway(model: string, entry: RunwayModel, prompt: Prompt, seed: number): ProviderRequest | { unsupported: string } {
  const endpoint: RunwayEndpoint = prompt.startImage === undefined ? 'text_to_video' : 'image_to_video';
  const ratios = entry.endpoints[endpoint];
  if (ratios === undefined) {
    return { unsupported: endpoint === 'text_to_video' ? `runway ${model} needs a start image (image-to-video only)` : `runway ${model} has no image-to-video mode` };
  }
  const ratio = ratios[prompt.aspectRatio];
  if (ratio === undefined) return { unsupported: `runway ${model} makes ${Object.keys(ratios).join(' or ')} clips, not ${prompt.aspectRatio}` };
  const durationS = fitDurationS(prompt.durationS, entry.durationsS);
  if (durationS === null) {
    return { unsupported: `runway ${model} makes clips of at most ${Math.max(...entry.durationsS)} s; the prompt asks for ${prompt.durationS} s` };
  }
  if (prompt.text.length > MAX_PROMPT_TEXT_UNITS) return { unsupported: `runway takes prompts of at most ${MAX_PROMPT_TEXT_UNITS} characters; this one has ${prompt.text.length}` };

  const body: Record<string, unknown> = { model, promptText: prompt.text, ratio, duration: durationS };
  const notes = [`POST /v1/${endpoint}: model ${model}, ratio ${ratio}, duration ${durationS}${durationS === prompt.durationS ? '' : ` (the prompt asks for ${prompt.durationS} s)`}`];
  if (prompt.startImage !== undefined) {
    const image = readStartImage(prompt.startImage);
    if ('problem' in image) return { unsupported: image.problem };
    if (image.dataUri.length > MAX_DATA_URI_BYTES) {
      return { unsupported: `start image ${prompt.startImage} is ${image.dataUri.length} bytes as a data URI; Runway takes at most ${MAX_DATA_URI_BYTES} (use a smaller image)` };
    }
    body['promptImage'] = image.dataUri;
  }
  if (entry.seed) body['seed'] = seed;
  else notes.push(`the seed cannot be honoured: runway ${model} takes no seed`);
  if (entry.audio === 'flag') body['audio'] = prompt.expect.audibleImpacts;
  else if (entry.audio === 'none' && prompt.expect.audibleImpacts) notes.push(`runway ${model} makes silent video; the prompt's impact sounds cannot be judged`);
  const mode: GenerationMode = endpoint === 'text_to_video' ? 'text-to-video' : 'image-to-video';
  return { prompt, seed, mode, body, billedSeconds: durationS, notes };
}

/** Runway's error body is `{error: "…"}` (sometimes with `issues`). */
function runwayErrorOutcome(response: HttpResponse, during: string): TerminalFailure {
  const detail = stringAt(response.json, 'error') ?? response.text.slice(0, 200);
  const message = `Runway answered HTTP ${response.status} ${during}: ${detail}`;
  if (response.status === 404) return { kind: 'unavailable', message };
  // A retired model (gen3a_turbo since 2026-06) is a 400 naming the model.
  if (response.status === 400 && /model/i.test(detail) && /(no longer|not) (available|supported)|deprecated|removed|retired|unknown model|invalid model/i.test(detail)) {
    return { kind: 'unavailable', message };
  }
  return { kind: 'failed', message };
}

function parseRunwaySubmit(response: HttpResponse): SubmitResult {
  if (response.status < 200 || response.status >= 300) return runwayErrorOutcome(response, 'to the create call');
  const id = stringAt(response.json, 'id');
  if (id === undefined || id === '') return { kind: 'failed', message: `Runway returned no task id: ${response.text.slice(0, 200)}` };
  return { kind: 'job', jobId: id };
}

function parseRunwayPoll(response: HttpResponse, jobId: string): PollResult {
  if (response.status < 200 || response.status >= 300) return runwayErrorOutcome(response, `polling task ${jobId}`);
  const status = stringAt(response.json, 'status');
  switch (status) {
    case 'PENDING':
      return { kind: 'pending', note: 'queued' };
    case 'THROTTLED':
      // Over the account's concurrency: the task waits in Runway's queue, nothing to do but wait.
      return { kind: 'pending', note: 'throttled' };
    case 'RUNNING': {
      const progress = numberAt(response.json, 'progress');
      // Runway reports a fraction; the seam's progress is a percent.
      return progress === undefined ? { kind: 'pending', note: 'running' } : { kind: 'pending', note: 'running', progress: 100 * Math.min(1, Math.max(0, progress)) };
    }
    case 'SUCCEEDED': {
      const url = arrayAt(response.json, 'output').find((item): item is string => typeof item === 'string');
      if (url === undefined) return { kind: 'failed', message: `Runway task ${jobId} succeeded with no output URL` };
      // Output URLs are signed and need no auth: never send the key to them.
      return { kind: 'succeeded', download: { method: 'GET', url, headers: {} } };
    }
    case 'FAILED': {
      const failureCode = stringAt(response.json, 'failureCode');
      const failure = stringAt(response.json, 'failure') ?? 'no reason given';
      const message = `Runway task ${jobId} failed${failureCode === undefined ? '' : ` (${failureCode})`}: ${failure}`;
      return failureCode?.startsWith('SAFETY.') === true ? { kind: 'refused', message } : { kind: 'failed', message };
    }
    case 'CANCELLED':
      return { kind: 'failed', message: `Runway task ${jobId} was cancelled` };
    default:
      return { kind: 'failed', message: `Runway task ${jobId} has an unknown status ${JSON.stringify(status)}` };
  }
}
