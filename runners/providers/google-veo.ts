import type { Prompt } from '../../prompts/schema.js';
import type {
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
import { fitDurationS } from './fit-duration.js';
import { arrayAt, isRecord, numberAt, recordAt, stringAt, trimBaseUrl } from './json-shape.js';
import { readStartImage } from './start-image.js';

/**
 * Google Veo through the Gemini API (js-genai `generateVideos`): `predictLongRunning` returns an
 * operation, polled by its name; the finished video is a `files/{id}:download` URL fetched with the key.
 */

interface VeoModel {
  /** The Gemini API model id. */
  apiModel: string;
  description: string;
  durationsS: readonly number[];
  aspectRatios: readonly Prompt['aspectRatio'][];
  resolution: '720p';
  /** Veo 3.x on the Gemini API always adds native audio; there is no flag to ask for or against it. */
  audio: true;
  /** Takes a previous Veo clip as `instances[0].video` and extends it (Google lists Veo 3.1 and 3.1 Fast). */
  extends: boolean;
  priceUsdPerS: number;
}

/**
 * The Veo models physeval runs. Durations 4/6/8 s and ratios 16:9/9:16 are from js-genai and the
 * Vertex veo-3.0 page. Prices are third-party figures, not Google's price list: [UNCERTAIN].
 */
export const GOOGLE_VEO_MODELS = {
  'veo-3.1': {
    apiModel: 'veo-3.1-generate-preview',
    description: 'Google Veo 3.1 (Gemini API), native audio',
    durationsS: [4, 6, 8],
    aspectRatios: ['16:9', '9:16'],
    resolution: '720p',
    audio: true,
    extends: true,
    priceUsdPerS: 0.4,
  },
  'veo-3.1-fast': {
    apiModel: 'veo-3.1-fast-generate-preview',
    description: 'Google Veo 3.1 Fast (Gemini API), native audio',
    durationsS: [4, 6, 8],
    aspectRatios: ['16:9', '9:16'],
    resolution: '720p',
    audio: true,
    extends: true,
    priceUsdPerS: 0.15,
  },
  'veo-3': {
    apiModel: 'veo-3.0-generate-001',
    description: 'Google Veo 3 (Gemini API), native audio',
    durationsS: [4, 6, 8],
    aspectRatios: ['16:9', '9:16'],
    resolution: '720p',
    audio: true,
    extends: false,
    priceUsdPerS: 0.4,
  },
} as const satisfies Record<string, VeoModel>;

export type GoogleVeoModel = keyof typeof GOOGLE_VEO_MODELS;

const VEO_MODES: GenerationMode[] = ['text-to-video', 'image-to-video'];

export function googleVeoInfo(model: GoogleVeoModel): GeneratorInfo {
  const entry = GOOGLE_VEO_MODELS[model];
  return { id: `google:${model}`, description: entry.description, modes: VEO_MODES, priceUsdPerS: entry.priceUsdPerS, needsKey: true };
}

const API_VERSION = 'v1beta';

export function createGoogleVeoProtocol(model: GoogleVeoModel): ProviderProtocol {
  const entry: VeoModel = GOOGLE_VEO_MODELS[model];
  const headers = (base: ProviderBase): Record<string, string> => ({ 'x-goog-api-key': base.key });
  return {
    provider: 'google',
    keyEnv: 'GEMINI_API_KEY',
    baseUrlEnv: 'GEMINI_BASE_URL',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    pollIntervalS: 10,
    prepare: (prompt, seed) => prepareVeo(entry, prompt, seed),
    submitRequest: (request, base) => ({
      method: 'POST',
      url: `${trimBaseUrl(base.baseUrl)}/${API_VERSION}/models/${entry.apiModel}:predictLongRunning`,
      headers: { ...headers(base), 'content-type': 'application/json' },
      body: { kind: 'json', value: request.body },
    }),
    parseSubmit: parseVeoSubmit,
    pollRequest: (jobId, base) => ({ method: 'GET', url: `${trimBaseUrl(base.baseUrl)}/${API_VERSION}/${jobId}`, headers: headers(base) }),
    parsePoll: parseVeoPoll,
    ...(entry.extends ? { fromClip: { modes: ['video-extension'], prepare: (prompt, seed, source) => prepareVeoExtension(entry, prompt, seed, source) } } : {}),
  };
}

/** Seconds a Veo extension adds (Google's "extend videos" page: by 7 s, up to 37 s in all; [UNCERTAIN] on the Gemini API). */
export const VEO_EXTENSION_S = 7;

/**
 * Veo extends its own output only: the source's `files/` URI goes in `instances[0].video` (the Gemini
 * API takes no video bytes). Any other source, or a boundary before the clip's end, continues from the
 * last frame instead (`null`); a remix is not a Veo call either.
 */
function prepareVeoExtension(entry: VeoModel, prompt: Prompt, seed: number, source: ProviderSourceClip | null): ProviderRequest | { unsupported: string } | null {
  const fromClip = prompt.fromClip;
  if (fromClip === undefined || fromClip.as === 'remix' || fromClip.promptId === undefined || fromClip.boundaryS !== undefined) return null;
  if (source !== null && (source.ref === undefined || source.boundaryS < source.durationS - 1e-6)) return null;
  if (!entry.aspectRatios.includes(prompt.aspectRatio)) return { unsupported: `${entry.apiModel} makes ${entry.aspectRatios.join(' or ')} clips, not ${prompt.aspectRatio}` };
  const video = { uri: source?.ref ?? `<${fromClip.promptId}'s Veo file>` };
  const notes = [
    `${entry.apiModel}: instances[0].video = the Veo file of ${fromClip.promptId}'s clip when this generator made it in this run (else from its last frame), +${VEO_EXTENSION_S} s`,
  ];
  if (prompt.durationS !== VEO_EXTENSION_S) notes.push(`Veo extends by ${VEO_EXTENSION_S} s; the prompt asks for ${prompt.durationS} s`);
  const parameters = { sampleCount: 1, aspectRatio: prompt.aspectRatio, resolution: entry.resolution };
  return { prompt, seed, mode: 'video-extension', body: { instances: [{ prompt: prompt.text, video }], parameters }, billedSeconds: VEO_EXTENSION_S, notes };
}

function prepareVeo(entry: VeoModel, prompt: Prompt, seed: number): ProviderRequest | { unsupported: string } {
  if (!entry.aspectRatios.includes(prompt.aspectRatio)) {
    return { unsupported: `${entry.apiModel} makes ${entry.aspectRatios.join(' or ')} clips, not ${prompt.aspectRatio}` };
  }
  const durationS = fitDurationS(prompt.durationS, entry.durationsS);
  if (durationS === null) {
    return { unsupported: `${entry.apiModel} makes clips of ${entry.durationsS.join(', ')} s; the prompt asks for ${prompt.durationS} s` };
  }
  const instance: Record<string, unknown> = { prompt: prompt.text };
  let mode: GenerationMode = 'text-to-video';
  if (prompt.startImage !== undefined) {
    const image = readStartImage(prompt.startImage);
    if ('problem' in image) return { unsupported: image.problem };
    instance['image'] = { bytesBase64Encoded: image.base64, mimeType: image.mimeType };
    mode = 'image-to-video';
  }
  const parameters = { sampleCount: 1, durationSeconds: durationS, aspectRatio: prompt.aspectRatio, resolution: entry.resolution };
  const notes = [
    `${entry.apiModel}: durationSeconds ${durationS}${durationS === prompt.durationS ? '' : ` (the prompt asks for ${prompt.durationS} s)`}, aspectRatio ${prompt.aspectRatio}, resolution ${entry.resolution}`,
    'the seed cannot be honoured: the Gemini API refuses a seed for Veo',
  ];
  if (!prompt.expect.audibleImpacts) notes.push('Veo adds native audio whether or not the prompt needs it');
  return { prompt, seed, mode, body: { instances: [instance], parameters }, billedSeconds: durationS, notes };
}

/** A google.rpc error body (`{error:{code,message,status}}`) as a terminal outcome. */
function veoErrorOutcome(response: HttpResponse, during: string): TerminalFailure {
  const error = recordAt(response.json, 'error');
  const status = stringAt(error, 'status') ?? 'no status';
  const detail = stringAt(error, 'message') ?? response.text.slice(0, 200);
  const message = `Gemini API answered HTTP ${response.status} ${status} ${during}: ${detail}`;
  if (response.status === 404) return { kind: 'unavailable', message };
  // Prompt-level blocks can come back synchronously as INVALID_ARGUMENT naming the safety filter.
  if (response.status === 400 && /safety|policy|blocked|responsible ai|sensitive|prohibited/i.test(detail)) return { kind: 'refused', message };
  return { kind: 'failed', message };
}

function parseVeoSubmit(response: HttpResponse): SubmitResult {
  if (response.status < 200 || response.status >= 300) return veoErrorOutcome(response, 'to predictLongRunning');
  const name = stringAt(response.json, 'name');
  if (name === undefined || name === '') return { kind: 'failed', message: `Gemini API returned no operation name: ${response.text.slice(0, 200)}` };
  return { kind: 'job', jobId: name };
}

function parseVeoPoll(response: HttpResponse, jobId: string, base: ProviderBase): PollResult {
  if (response.status < 200 || response.status >= 300) return veoErrorOutcome(response, `polling ${jobId}`);
  const operation = response.json;
  if (!isRecord(operation) || operation['done'] !== true) return { kind: 'pending' };
  const error = recordAt(operation, 'error');
  if (error !== undefined) {
    return { kind: 'failed', message: `Veo operation ${jobId} failed (code ${numberAt(error, 'code') ?? '?'}): ${stringAt(error, 'message') ?? 'no message'}` };
  }
  const result = recordAt(recordAt(operation, 'response'), 'generateVideoResponse');
  const sample = arrayAt(result, 'generatedSamples')[0];
  const video = recordAt(sample, 'video');
  if (video === undefined) {
    const reasons = arrayAt(result, 'raiMediaFilteredReasons').filter((reason): reason is string => typeof reason === 'string');
    const filtered = numberAt(result, 'raiMediaFilteredCount') ?? 0;
    if (reasons.length > 0 || filtered > 0) {
      return { kind: 'refused', message: `Veo filtered the video (${filtered} filtered): ${reasons.join(' ') || 'no reason given'}` };
    }
    return { kind: 'failed', message: `Veo operation ${jobId} finished without a video or a filter reason` };
  }
  return veoDownload(video, jobId, base);
}

/** The SDK's rule: a `files/{id}` URI is downloaded from the API base with the key (it redirects to storage). */
function veoDownload(video: Record<string, unknown>, jobId: string, base: ProviderBase): PollResult {
  const uri = stringAt(video, 'uri');
  const fileId = uri === undefined ? undefined : /files\/([^/:?]+)/.exec(uri)?.[1];
  if (fileId !== undefined && uri !== undefined) {
    return {
      kind: 'succeeded',
      outputRef: uri,
      download: {
        method: 'GET',
        url: `${trimBaseUrl(base.baseUrl)}/${API_VERSION}/files/${fileId}:download?alt=media`,
        headers: { 'x-goog-api-key': base.key },
      },
    };
  }
  const encoded = stringAt(video, 'encodedVideo');
  if (encoded !== undefined) {
    const mimeType = stringAt(video, 'encoding') ?? 'video/mp4';
    return { kind: 'succeeded', download: { method: 'GET', url: `data:${mimeType};base64,${encoded}`, headers: {} } };
  }
  return { kind: 'failed', message: `Veo operation ${jobId} returned a video with neither a files/ URI nor bytes: ${JSON.stringify(video).slice(0, 200)}` };
}
