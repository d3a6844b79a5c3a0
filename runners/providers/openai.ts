import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import type { Prompt } from '../../prompts/schema.js';
import type { HttpRequestSpec, HttpResponse, PollResult, ProviderBase, ProviderProtocol, ProviderRequest, SubmitResult, TerminalFailure } from '../provider-protocol.js';

/**
 * OpenAI's videos protocol (Sora 2): multipart `POST /videos`, `GET /videos/{id}` with the server's
 * `openai-poll-after-ms` hint, `GET /videos/{id}/content`. Azure OpenAI serves the same protocol
 * under `<endpoint>/openai/v1` with an `api-key` header and a deployment name as the model.
 * OpenAI shut the public Sora API down on 2026-09-24: its answer is recorded as `unavailable`.
 */
export type SoraVariant = { kind: 'openai'; model: 'sora-2' | 'sora-2-pro' } | { kind: 'azure'; deployment: string };

/** Clip lengths Sora accepts, sent as strings (an integer gives a 400). */
export const SORA_SECONDS = [4, 8, 12] as const;

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
  let best: number = SORA_SECONDS[0];
  for (const seconds of SORA_SECONDS) if (Math.abs(seconds - durationS) <= Math.abs(best - durationS)) best = seconds;
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

  function submitRequest(request: ProviderRequest, base: ProviderBase): HttpRequestSpec {
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

  return { provider, keyEnv: azure ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY', baseUrlEnv: azure ? 'AZURE_OPENAI_ENDPOINT' : 'OPENAI_BASE_URL', defaultBaseUrl: azure ? '' : 'https://api.openai.com/v1', pollIntervalS: 10, prepare, submitRequest, parseSubmit, pollRequest, parsePoll };
}

/** Error codes OpenAI and Azure give a content-policy refusal, synchronous or as a failed job. */
const REFUSAL_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter', 'ResponsibleAIPolicyViolation']);

/** How a retired model or API answers (the exact shape after the 2026-09-24 shutdown is not documented). */
const RETIRED_WORDS = /\b(shut (it )?down|has been (retired|discontinued|deprecated)|no longer (available|supported|exists))\b/i;
