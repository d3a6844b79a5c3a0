import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { HttpRequestSpec, HttpResponse } from './provider-protocol.js';
import { redact } from './redact.js';

/** How hard the client tries before it gives up on one call. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt (full jitter below it). */
  baseDelayMs: number;
  /** Ceiling of any wait, the server's Retry-After included. */
  maxDelayMs: number;
  /** Timeout of each attempt, headers and body together. */
  timeoutMs: number;
}

export const RETRY_DEFAULTS: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 60_000 };

/**
 * A call that got no usable HTTP answer: `unreachable` (no connection made, so nothing was sent),
 * `network` (the connection broke), `timeout`.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: 'unreachable' | 'network' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

/** Statuses worth another try: timeouts, rate limits and server errors (OpenAI's and Google's SDKs agree). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (0-based `attempt` just failed): the server's
 * `retry-after-ms`, else `retry-after` in seconds or as an HTTP date (RFC 9110 §10.2.3), else
 * exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter").
 */
export function retryDelayMs(
  headers: Readonly<Record<string, string>>,
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  nowMs: number = Date.now(),
  random: () => number = Math.random,
): number {
  const hinted = serverHintMs(headers, nowMs);
  if (hinted !== null) return Math.min(hinted, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

function serverHintMs(headers: Readonly<Record<string, string>>, nowMs: number): number | null {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const after = headers['retry-after']?.trim();
  if (after === undefined || after === '') return null;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const dateMs = Date.parse(after);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}

/** Spaces request starts so that no more than `requestsPerMinute` begin in any minute. */
export class RateLimiter {
  private nextSlotMs = 0;
  constructor(private readonly requestsPerMinute: number) {}

  async take(): Promise<void> {
    if (!(this.requestsPerMinute > 0) || !Number.isFinite(this.requestsPerMinute)) return;
    const nowMs = Date.now();
    const slotMs = Math.max(nowMs, this.nextSlotMs);
    this.nextSlotMs = slotMs + 60_000 / this.requestsPerMinute;
    if (slotMs > nowMs) await sleep(slotMs - nowMs);
  }
}

export interface HttpClientOptions {
  retry: RetryPolicy;
  /** Paces the calls (a `RateLimiter`, or several in turn). */
  limiter?: Pick<RateLimiter, 'take'>;
  /** Strings to blank out of any message (the API key). */
  secrets: readonly string[];
  /** Called before each retry, e.g. to show "retrying after 429". */
  onRetry?: (reason: string, delayMs: number) => void;
}

/**
 * Sends a request and reads its whole answer, retrying retryable statuses and failed connections.
 * A POST whose connection broke or timed out is not sent again: the provider may have created the
 * job already, and paying twice is worse than one failed item.
 */
export async function sendRequest(spec: HttpRequestSpec, options: HttpClientOptions): Promise<HttpResponse> {
  const { retry } = options;
  for (let attempt = 0; ; attempt += 1) {
    await options.limiter?.take();
    let failure: HttpError;
    try {
      const response = await fetch(spec.url, await fetchInit(spec, AbortSignal.timeout(retry.timeoutMs)));
      const text = await response.text();
      const result = { status: response.status, headers: headerRecord(response.headers), text, json: parseJson(text) };
      if (!isRetryableStatus(result.status) || result.headers['x-should-retry'] === 'false' || attempt + 1 >= retry.maxAttempts) return result;
      const delayMs = retryDelayMs(result.headers, attempt, retry);
      options.onRetry?.(`HTTP ${result.status}`, delayMs);
      await sleep(delayMs);
      continue;
    } catch (error) {
      failure = asHttpError(error, spec, options.secrets);
    }
    if (attempt + 1 >= retry.maxAttempts || (spec.method === 'POST' && failure.code !== 'unreachable')) throw failure;
    const delayMs = retryDelayMs({}, attempt, retry);
    options.onRetry?.(failure.message, delayMs);
    await sleep(delayMs);
  }
}

/** The fetch options for a spec: JSON, or multipart with file parts read from disk. */
export async function fetchInit(spec: HttpRequestSpec, signal: AbortSignal): Promise<RequestInit> {
  const init: RequestInit = { method: spec.method, headers: { ...spec.headers }, signal };
  if (spec.body?.kind === 'json') {
    init.body = JSON.stringify(spec.body.value);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  } else if (spec.body?.kind === 'multipart') {
    const form = new FormData();
    for (const [name, value] of Object.entries(spec.body.fields)) form.append(name, value);
    for (const [name, file] of Object.entries(spec.body.files ?? {})) {
      form.append(name, await openAsBlob(file.path, { type: file.contentType }), basename(file.path));
    }
    init.body = form;
  }
  return init;
}

export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => (record[name.toLowerCase()] = value));
  return record;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A failed fetch as a typed error whose message names the call (without its query, which may hold a key). */
export function asHttpError(error: unknown, spec: Pick<HttpRequestSpec, 'method' | 'url'>, secrets: readonly string[]): HttpError {
  const where = `${spec.method} ${spec.url.split('?')[0] ?? spec.url}`;
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  const unreachable = typeof causeCode === 'string' && UNREACHABLE_CODES.has(causeCode);
  const detail = error instanceof Error ? `${error.message}${cause ? `: ${cause.message}` : ''}` : String(error);
  return new HttpError(timedOut ? 'timeout' : unreachable ? 'unreachable' : 'network', redact(`${where}: ${timedOut ? 'timed out' : detail}`, secrets));
}

/** Socket errors raised before a connection exists, so the request never left. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
