import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import type { Prompt } from '../../prompts/schema.js';
import type {
  HttpRequestSpec,
  HttpResponse,
  NativeFromClip,
  PollResult,
  ProviderBase,
  ProviderProtocol,
  ProviderRequest,
  ProviderSourceClip,
  SubmitResult,
  TerminalFailure,
} from '../provider-protocol.js';

/**
 * OpenAI's videos protocol (Sora 2): multipart `POST /videos`, `GET /videos/{id}` with the server's
 * `openai-poll-after-ms` hint, `GET /videos/{id}/content`. Azure OpenAI serves the same protocol
 * under `<endpoint>/openai/v1` with an `api-key` header and a deployment name as the model.
 * OpenAI shut the public Sora API down on 2026-09-24: its answer is recorded as `unavailable`.
 */
export type SoraVariant = { kind: 'openai'; model: 'sora-2' | 'sora-2-pro' } | { kind: 'azure'; deployment: string };

/** Clip lengths Sora accepts, sent as strings (an integer gives a 400). */
export const SORA_SECONDS = [4, 8, 12] as const;

/** Lengths of an extension segment (`POST /videos/extensions`, per the SDK's description). */
export const SORA_EXTENSION_SECONDS = [4, 8, 12, 16, 20] as const;

/** Sora's landscape and portrait sizes at 720p, the ones both models make at the base price. */
const SORA_SIZES: Partial<Record<Prompt['aspectRatio'], string>> = { '16:9': '1280x720', '9:16': '720x1280' };

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

const errorBodySchema = z.object({
  error: z.object({ message: z.string().nullish(), code: z.string().nullish(), type: z.string().nullish() }),
});

const videoSchema = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.number().nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

/** The allowed length nearest to what the prompt asks (ties go to the longer clip, so nothing is cut). */
export function nearestSoraSeconds(durationS: number): number {
  return nearestAllowedSeconds(durationS, SORA_SECONDS);
}

function nearestAllowedSeconds(durationS: number, allowed: readonly number[]): number {
  let best = allowed[0] ?? durationS;
  for (const seconds of allowed) if (Math.abs(seconds - durationS) <= Math.abs(best - durationS)) best = seconds;
  return best;
}

export function createSoraProtocol(variant: SoraVariant): ProviderProtocol {
  const azure = variant.kind === 'azure';
  const provider = azure ? 'azure' : 'openai';
  const model = azure ? variant.deployment : variant.model;
  const label = azure ? 'Azure OpenAI' : 'OpenAI';
  const apiBase = (base: ProviderBase): string => (azure && !/\/openai\/v1$/.test(base.baseUrl) ? `${base.baseUrl}/openai/v1` : base.baseUrl);
  const authHeaders = (base: ProviderBase): Record<string, string> => (azure ? { 'api-key': base.key } : { authorization: `Bearer ${base.key}` });

  function prepare(prompt: Prompt, seed: number): ProviderRequest | { unsupported: string } {
    const size = SORA_SIZES[prompt.aspectRatio];
    if (size === undefined) return { unsupported: `Sora makes 16:9 (1280x720) or 9:16 (720x1280) clips, not ${prompt.aspectRatio}` };
    const seconds = nearestSoraSeconds(prompt.durationS);
    const notes = [`${label} ${model}: seconds "${seconds}", size "${size}", with audio (Sora always adds it)`];
    if (seconds !== prompt.durationS) notes.push(`duration rounded from ${prompt.durationS} s to ${seconds} s (Sora accepts 4, 8 or 12)`);
    notes.push('Sora takes no seed: each seed is another sample of the same request');
    const body: Record<string, string> = { model, prompt: prompt.text, seconds: String(seconds), size };
    if (prompt.startImage === undefined) return { prompt, seed, mode: 'text-to-video', body, billedSeconds: seconds, notes };
    const contentType = IMAGE_TYPES[extname(prompt.startImage).toLowerCase()];
    if (contentType === undefined) return { unsupported: `Sora's start image must be PNG, JPEG or WebP, not ${prompt.startImage}` };
    if (!existsSync(prompt.startImage)) return { unsupported: `the start image ${prompt.startImage} does not exist` };
    notes.push(`image-to-video from ${prompt.startImage} (it must be ${size} exactly)`);
    return { prompt, seed, mode: 'image-to-video', body: { ...body, input_reference: prompt.startImage }, billedSeconds: seconds, notes };
  }

  /**
   * Extension: `POST /videos/extensions` with the source uploaded as the `video` file part (the answer
   * is the source and its continuation in one clip). Remix: `POST /videos/{id}/remix` with the new
   * prompt, which needs the Sora id of a clip this generator made. Azure's v1 API has remix only.
   */
  function prepareFromClip(prompt: Prompt, seed: number, source: ProviderSourceClip | null): ProviderRequest | { unsupported: string } | null {
    const fromClip = prompt.fromClip;
    if (fromClip === undefined) return { unsupported: 'the prompt continues no clip' };
    if (SORA_SIZES[prompt.aspectRatio] === undefined) return { unsupported: `Sora makes 16:9 (1280x720) or 9:16 (720x1280) clips, not ${prompt.aspectRatio}` };
    if (fromClip.as === 'remix') {
      if (fromClip.promptId === undefined) return { unsupported: `${label}'s remix needs the Sora id of a clip made in this run; a video file (${fromClip.videoPath}) cannot be remixed` };
      const seconds = nearestSoraSeconds(source?.durationS ?? prompt.durationS);
      const notes = [`${label} POST /videos/{id}/remix of ${fromClip.promptId}'s Sora video with this prompt (${seconds} s, the source's length)`];
      if (source === null) return { prompt, seed, mode: 'video-remix', body: { prompt: prompt.text, remix_of: `<${fromClip.promptId}>` }, billedSeconds: seconds, notes };
      if (source.ref === undefined) return { unsupported: `${label}'s remix needs the Sora id of ${fromClip.promptId}'s clip, and this generator did not make it in this run` };
      return { prompt, seed, mode: 'video-remix', body: { prompt: prompt.text, remix_of: source.ref }, billedSeconds: seconds, notes };
    }
    if (azure) return null;
    const seconds = nearestAllowedSeconds(prompt.durationS, SORA_EXTENSION_SECONDS);
    const notes = [`${label} POST /videos/extensions: the source clip${fromClip.boundaryS === undefined ? '' : ` cut at ${fromClip.boundaryS} s`} uploaded, seconds "${seconds}" more`];
    if (seconds !== prompt.durationS) notes.push(`extension rounded from ${prompt.durationS} s to ${seconds} s (Sora extends by 4, 8, 12, 16 or 20)`);
    const body: Record<string, string> = { prompt: prompt.text, seconds: String(seconds), video: source?.videoPath ?? '<source clip>' };
    return { prompt, seed, mode: 'video-extension', body, billedSeconds: seconds, notes };
  }

  function submitRequest(request: ProviderRequest, base: ProviderBase): HttpRequestSpec {
    if (request.mode === 'video-remix') {
      const id = String(request.body['remix_of']);
      return { method: 'POST', url: `${apiBase(base)}/videos/${encodeURIComponent(id)}/remix`, headers: authHeaders(base), body: { kind: 'json', value: { prompt: request.body['prompt'] } } };
    }
    if (request.mode === 'video-extension') {
      const { video, ...fields } = request.body;
      const files = { video: { path: String(video), contentType: 'video/mp4' } };
      return { method: 'POST', url: `${apiBase(base)}/videos/extensions`, headers: authHeaders(base), body: { kind: 'multipart', fields: stringFields(fields), files } };
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.body)) if (name !== 'input_reference') fields[name] = String(value);
    const image = request.body.input_reference;
    const files = typeof image === 'string' ? { input_reference: { path: image, contentType: IMAGE_TYPES[extname(image).toLowerCase()] ?? 'image/png' } } : undefined;
    return { method: 'POST', url: `${apiBase(base)}/videos`, headers: authHeaders(base), body: { kind: 'multipart', fields, ...(files ? { files } : {}) } };
  }

  function parseSubmit(response: HttpResponse): SubmitResult {
    if (response.status >= 200 && response.status < 300) {
      const video = videoSchema.safeParse(response.json);
      if (video.success) return { kind: 'job', jobId: video.data.id };
      return { kind: 'failed', message: `${label} answered ${response.status} without a video id: ${response.text.slice(0, 200)}` };
    }
    return errorOutcome(response, 'create');
  }

  function pollRequest(jobId: string, base: ProviderBase): HttpRequestSpec {
    return { method: 'GET', url: `${apiBase(base)}/videos/${encodeURIComponent(jobId)}`, headers: authHeaders(base) };
  }

  function parsePoll(response: HttpResponse, jobId: string, base: ProviderBase): PollResult {
    if (response.status < 200 || response.status >= 300) return errorOutcome(response, `job ${jobId}`);
    const parsed = videoSchema.safeParse(response.json);
    if (!parsed.success) return { kind: 'failed', message: `${label} sent an unreadable job ${jobId}: ${response.text.slice(0, 200)}` };
    const video = parsed.data;
    const hintMs = Number(response.headers['openai-poll-after-ms']);
    const pollAfter = Number.isFinite(hintMs) && hintMs > 0 ? { pollAfterMs: hintMs } : {};
    switch (video.status) {
      case 'queued':
        return { kind: 'pending', note: 'queued', ...pollAfter };
      case 'in_progress':
        return { kind: 'pending', progress: video.progress ?? 0, ...pollAfter };
      case 'completed':
        return {
          kind: 'succeeded',
          download: { method: 'GET', url: `${apiBase(base)}/videos/${encodeURIComponent(jobId)}/content`, headers: { ...authHeaders(base), accept: 'application/binary' } },
          outputRef: video.id,
        };
      case 'failed':
        return classify(video.error?.code ?? null, video.error?.message ?? `${label} reported the job failed without a reason`, 200);
      default:
        return { kind: 'failed', message: `${label} job ${jobId} ended as '${video.status}'` };
    }
  }

  /** An error answer as an outcome, in the provider's own words. */
  function errorOutcome(response: HttpResponse, what: string): TerminalFailure {
    const body = errorBodySchema.safeParse(response.json);
    const message = body.success ? (body.data.error.message ?? '') : response.text.slice(0, 300);
    const code = body.success ? (body.data.error.code ?? null) : null;
    const classified = classify(code, message, response.status);
    if (classified.kind !== 'failed') return classified;
    if (response.status === 404 && what.startsWith('job')) return { kind: 'failed', message: `${label} no longer knows ${what} (404: ${message})` };
    return { kind: 'failed', message: `${label} ${what} answered ${response.status}${code ? ` ${code}` : ''}: ${message}` };
  }

  function classify(code: string | null, message: string, status: number): TerminalFailure {
    if (code !== null && REFUSAL_CODES.has(code)) return { kind: 'refused', message: `${label} refused the prompt (${code}): ${message}` };
    if (RETIRED_WORDS.test(message) || ((status === 404 || status === 410) && code === 'model_not_found')) {
      return { kind: 'unavailable', message: `${label}: ${message}` };
    }
    if (code === null && /content policy|safety system|moderation/i.test(message)) return { kind: 'refused', message: `${label} refused the prompt: ${message}` };
    return { kind: 'failed', message: `${label}${code ? ` (${code})` : ''}: ${message}` };
  }

  const fromClip: NativeFromClip = { modes: azure ? ['video-remix'] : ['video-extension', 'video-remix'], prepare: prepareFromClip };
  return {
    provider,
    keyEnv: azure ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY',
    baseUrlEnv: azure ? 'AZURE_OPENAI_ENDPOINT' : 'OPENAI_BASE_URL',
    defaultBaseUrl: azure ? '' : 'https://api.openai.com/v1',
    pollIntervalS: 10,
    prepare,
    submitRequest,
    parseSubmit,
    pollRequest,
    parsePoll,
    fromClip,
  };
}

function stringFields(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, String(value)]));
}

/** Error codes OpenAI and Azure give a content-policy refusal, synchronous or as a failed job. */
const REFUSAL_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter', 'ResponsibleAIPolicyViolation']);

/** How a retired model or API answers (the exact shape after the 2026-09-24 shutdown is not documented). */
const RETIRED_WORDS = /\b(shut (it )?down|has been (retired|discontinued|deprecated)|no longer (available|supported|exists))\b/i;
