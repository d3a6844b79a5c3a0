import type { Prompt } from '../prompts/schema.js';
import type { GenerationMode } from './types.js';

/**
 * Note for provider authors (2026-11-25, part A): the lifecycle is `runners/provider-generator.ts`
 * (`createProviderGenerator(protocol, info, settings)`); multipart bodies may carry file parts
 * (`files`, read from disk by the lifecycle); `prepare` may return `notes` (what the provider will
 * be asked, and any rounding) that `plan()` and `--dry-run` show. Everything else is unchanged.
 *
 * The one thing an HTTP provider writes: its wire protocol (submit, poll, where to download).
 * Everything around it (the job journal, retries and backoff, polling cadence, download checks,
 * the content-addressed cache, cost, video extension from a last frame) is shared by
 * `runners/provider-generator.ts`.
 */

/** What a run asks a provider for, already mapped from the prompt onto the provider's vocabulary by `prepare`. */
export interface ProviderRequest {
  prompt: Prompt;
  seed: number;
  mode: GenerationMode;
  /** Provider-specific request body or form fields, JSON-serialisable (it is part of the cache key). */
  body: Record<string, unknown>;
  /** Seconds of video that will be billed. */
  billedSeconds: number;
  /** What the provider will be asked, in its words, and any adjustment made (e.g. a rounded duration). */
  notes?: string[];
}

/** An HTTP request the lifecycle sends on the protocol's behalf (auth headers included by the protocol). */
export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?:
    | { kind: 'json'; value: unknown }
    /** `files` are read from disk when the request is sent (an image-to-video start frame). */
    | { kind: 'multipart'; fields: Record<string, string>; files?: Record<string, { path: string; contentType: string }> };
}

/** An HTTP response as the protocol sees it: status, headers (lower-case names) and parsed JSON when there is any. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  text: string;
}

/** The result of a create call: a job to poll, or an immediate terminal answer (e.g. a synchronous refusal). */
export type SubmitResult = { kind: 'job'; jobId: string } | TerminalFailure;

export type TerminalFailure = { kind: 'refused' | 'failed' | 'unavailable'; message: string };

export type PollResult =
  /** `note: 'queued'` shows the item as queued (with the provider's `queuePosition` when it gives one); `progress` is a percent. */
  | { kind: 'pending'; progress?: number; note?: string; queuePosition?: number; pollAfterMs?: number }
  /** `outputRef` is the provider's own name for the finished clip (Sora's video id, Veo's file URI), kept for a later extension or remix. */
  | { kind: 'succeeded'; download: HttpRequestSpec; outputRef?: string }
  /** Done, but the output must be fetched from a result endpoint first (fal's queue); see `parseResult`. */
  | { kind: 'fetch-result'; request: HttpRequestSpec }
  | TerminalFailure;

export interface ProviderProtocol {
  /** e.g. `openai`, `google`, `runway`, `fal`. */
  provider: string;
  /** Env var holding the key (`OPENAI_API_KEY`...); the key is read at call time and never stored or logged. */
  keyEnv: string;
  /** Env var overriding the base URL (`OPENAI_BASE_URL`...), so tests and proxies work. */
  baseUrlEnv: string;
  defaultBaseUrl: string;
  /** Default seconds between polls (settable by config and PHYSEVAL_POLL_INTERVAL_S). */
  pollIntervalS: number;
  /** Maps a prompt onto the provider's parameters, or says why it cannot (no money spent). */
  prepare(prompt: Prompt, seed: number): ProviderRequest | { unsupported: string };
  submitRequest(request: ProviderRequest, base: ProviderBase): HttpRequestSpec;
  /** Interprets the create response; HTTP errors that are retryable (429, 5xx) never reach here. */
  parseSubmit(response: HttpResponse): SubmitResult;
  pollRequest(jobId: string, base: ProviderBase): HttpRequestSpec;
  parsePoll(response: HttpResponse, jobId: string, base: ProviderBase): PollResult;
  /** Continues or remixes a clip with the provider's own endpoint; absent: extensions start from the clip's last frame. */
  fromClip?: NativeFromClip;
  /** Interprets a result endpoint's answer after `fetch-result`. */
  parseResult?(response: HttpResponse, jobId: string, base: ProviderBase): Exclude<PollResult, { kind: 'fetch-result' }>;
}

/** Where and as whom to call: resolved once per run from the environment. */
export interface ProviderBase {
  baseUrl: string;
  key: string;
}

/** A clip to continue or remix, as a protocol sees it. */
export interface ProviderSourceClip {
  /** The video to upload: the source, already cut at the boundary when the boundary is before its end. */
  videoPath: string;
  /** Length of the source clip as generated, seconds. */
  durationS: number;
  /** Where the continuation starts in the source, seconds. */
  boundaryS: number;
  /** The provider's name for the clip (`outputRef`), when this generator made it in this run. */
  ref?: string;
}

export interface NativeFromClip {
  modes: readonly ('video-extension' | 'video-remix')[];
  /**
   * The request for a `fromClip` prompt (source `null` while planning: no clip exists yet), why the
   * provider cannot do it, or `null` when an extension should start from the clip's last frame instead.
   */
  prepare(prompt: Prompt, seed: number, source: ProviderSourceClip | null): ProviderRequest | { unsupported: string } | null;
}
