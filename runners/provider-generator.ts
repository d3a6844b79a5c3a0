import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { downloadVideo } from './download.js';
import { HttpError, isRetryableStatus, RateLimiter, RETRY_DEFAULTS, sendRequest, sleep, type HttpClientOptions, type RetryPolicy } from './http-client.js';
import { clearJournal, journalPath, readJournal, writeJournal, type JournalEntry } from './job-journal.js';
import { clipCostUsd } from './pricing.js';
import type { HttpResponse, PollResult, ProviderBase, ProviderProtocol, ProviderRequest } from './provider-protocol.js';
import { redact } from './redact.js';
import type { GenerateOutcome, GenerateRequest, Generator, GeneratorInfo, PlanResult } from './types.js';
import { restoreFromCache, storeInCache, videoCacheDir, videoCacheKey } from './video-cache.js';

/** How one provider generator behaves in a run; every field has a default in `PROVIDER_DEFAULTS`. */
export interface ProviderGeneratorOptions {
  /** Folder of the job journal (the run's `jobs/`); the video's own folder when absent. */
  jobsDir?: string;
  /** Seconds between polls when the provider gives no hint; `PHYSEVAL_POLL_INTERVAL_S` overrides it. */
  pollIntervalS?: number;
  /** Longest a job may take from create to finished video before the item is a `timeout`. */
  timeoutS?: number;
  /** Jobs of this generator in flight at once. */
  concurrency?: number;
  /** Create calls started per minute (the limit providers publish is on generation requests; polls follow the poll interval); 0 for no limit. */
  requestsPerMinute?: number;
  retry?: Partial<RetryPolicy>;
  /** Where keys and base URLs are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

export const PROVIDER_DEFAULTS = { timeoutS: 1800, concurrency: 4, requestsPerMinute: 60 } as const;

/**
 * Turns a provider's wire protocol into a Generator with the shared job lifecycle: cache lookup,
 * the job journal (id saved before the first poll), polling at the provider's cadence, checked
 * downloads, retries and limits, and outcomes as values. A key never leaves this function unredacted.
 */
export function createProviderGenerator(protocol: ProviderProtocol, info: GeneratorInfo, options: ProviderGeneratorOptions = {}): Generator {
  const env = options.env ?? process.env;
  const limit = pLimit(options.concurrency ?? PROVIDER_DEFAULTS.concurrency);
  const limiter = new RateLimiter(options.requestsPerMinute ?? PROVIDER_DEFAULTS.requestsPerMinute);
  const retry: RetryPolicy = { ...RETRY_DEFAULTS, ...options.retry };
  const pollIntervalMs = 1000 * (positiveNumber(env.PHYSEVAL_POLL_INTERVAL_S) ?? options.pollIntervalS ?? protocol.pollIntervalS);
  const timeoutMs = 1000 * (options.timeoutS ?? PROVIDER_DEFAULTS.timeoutS);

  function plan(prompt: GenerateRequest['prompt']): PlanResult {
    const prepared = protocol.prepare(prompt, 0);
    if ('unsupported' in prepared) return { supported: false, reason: prepared.unsupported };
    const notes = [...(prepared.notes ?? [])];
    if (!env[protocol.keyEnv]) notes.push(`${protocol.keyEnv} is not set: a run would record this item as failed`);
    return { supported: true, notes, costUsd: clipCostUsd(prepared.billedSeconds, info.priceUsdPerS) };
  }

  async function generate(request: GenerateRequest): Promise<GenerateOutcome> {
    const prepared = protocol.prepare(request.prompt, request.seed);
    if ('unsupported' in prepared) return { status: 'failed', message: `${info.id}: ${prepared.unsupported}`, costUsd: 0 };
    const key = env[protocol.keyEnv];
    if (!key) return { status: 'failed', message: `${protocol.keyEnv} is not set: ${info.id} reads its API key from the environment`, costUsd: 0 };
    const baseUrl = (env[protocol.baseUrlEnv] || protocol.defaultBaseUrl).replace(/\/+$/, '');
    if (!baseUrl) return { status: 'failed', message: `${protocol.baseUrlEnv} is not set: ${info.id} needs its endpoint`, costUsd: 0 };
    const cacheDir = videoCacheDir(env);
    const cacheKey = videoCacheKey({ provider: protocol.provider, generatorId: info.id, body: prepared.body, seed: request.seed });
    if (await restoreFromCache(cacheDir, cacheKey, request.outPath)) return { status: 'ok', videoPath: request.outPath, costUsd: 0 };
    const client: HttpClientOptions = { retry, secrets: [key] };
    const job = new Job(protocol, { baseUrl, key }, client, limiter, request, prepared, cacheKey, info);
    return limit(async () => {
      const outcome = await job.run(options.jobsDir ?? dirname(request.outPath), pollIntervalMs, timeoutMs);
      if (outcome.status === 'ok') await storeInCache(cacheDir, cacheKey, outcome.videoPath);
      return outcome.status === 'ok' ? outcome : { ...outcome, message: redact(outcome.message, [key]) };
    });
  }

  return { info, plan, generate };
}

/** One item's trip through a provider: create (or adopt the journalled job), poll, download. */
class Job {
  constructor(
    private readonly protocol: ProviderProtocol,
    private readonly base: ProviderBase,
    private readonly client: HttpClientOptions,
    private readonly createLimiter: RateLimiter,
    private readonly request: GenerateRequest,
    private readonly prepared: ProviderRequest,
    private readonly cacheKey: string,
    private readonly info: GeneratorInfo,
  ) {}

  async run(jobsDir: string, pollIntervalMs: number, timeoutMs: number): Promise<GenerateOutcome> {
    const path = journalPath(jobsDir, `${this.info.id}|${this.request.prompt.id}|${this.request.seed}`);
    await mkdir(jobsDir, { recursive: true });
    let entry = await readJournal(path);
    if (entry !== null && entry.cacheKey !== this.cacheKey) entry = null;
    if (entry === null) {
      const created = await this.create();
      if (!('jobId' in created)) return created;
      entry = created;
      await writeJournal(path, entry);
    }
    const deadlineMs = Date.now() + timeoutMs;
    const { costUsd } = entry;
    for (;;) {
      const polled = await this.poll(entry.jobId);
      if (polled instanceof HttpError) return { status: 'failed', message: `${this.info.id}: polling job ${entry.jobId} failed: ${polled.message}`, costUsd };
      switch (polled.kind) {
        case 'pending': {
          const queued = polled.note === 'queued';
          const detail = polled.progress !== undefined ? `${Math.round(polled.progress)}%` : queued ? undefined : polled.note;
          this.request.onProgress?.(queued ? 'queued' : 'generating', detail);
          if (Date.now() >= deadlineMs) {
            // The journal stays: the job may still finish, and a retried run adopts it without paying again.
            return { status: 'timeout', message: `${this.info.id}: job ${entry.jobId} not finished after ${Math.round(timeoutMs / 1000)} s`, costUsd };
          }
          await sleep(polled.pollAfterMs ?? pollIntervalMs, this.request.signal);
          if (this.request.signal?.aborted) return { status: 'failed', message: `${this.info.id}: aborted while polling job ${entry.jobId}`, costUsd };
          continue;
        }
        case 'succeeded': {
          this.request.onProgress?.('downloading');
          const downloaded = await downloadVideo(polled.download, this.request.outPath, this.client);
          // A failed download keeps the journal: the video exists, a retried run fetches it again without paying.
          if (!downloaded.ok) return { status: 'failed', message: `${this.info.id}: job ${entry.jobId}: ${downloaded.message}`, costUsd };
          return { status: 'ok', videoPath: this.request.outPath, costUsd };
        }
        default:
          if (polled.accessProblem) {
            return { status: 'failed', message: `${polled.message} (job ${entry.jobId} kept: a run with --retry-failed polls it again)`, costUsd };
          }
          // Providers bill finished videos; a job that ended without one is recorded at no cost.
          await clearJournal(path);
          return { status: polled.kind, message: polled.message, costUsd: 0 };
      }
    }
  }

  private async create(): Promise<JournalEntry | Exclude<GenerateOutcome, { status: 'ok' }>> {
    this.request.onProgress?.('queued', 'submitting');
    let response: HttpResponse;
    try {
      response = await sendRequest(this.protocol.submitRequest(this.prepared, this.base), { ...this.client, limiter: this.createLimiter });
    } catch (error) {
      return { status: 'failed', message: `${this.info.id}: create call failed: ${errorMessage(error)}`, costUsd: 0 };
    }
    const submitted = this.protocol.parseSubmit(response);
    if (submitted.kind !== 'job') return { status: submitted.kind, message: submitted.message, costUsd: 0 };
    return {
      provider: this.protocol.provider,
      jobId: submitted.jobId,
      cacheKey: this.cacheKey,
      costUsd: clipCostUsd(this.prepared.billedSeconds, this.info.priceUsdPerS),
      createdAt: new Date().toISOString(),
    };
  }

  /** One status check, following a result endpoint when the protocol needs one. */
  private async poll(jobId: string): Promise<(Exclude<PollResult, { kind: 'fetch-result' }> & { accessProblem: boolean }) | HttpError> {
    // An answer about access (bad key, no permission, a status call still overloaded after retries) says nothing
    // about the job. A result endpoint's 5xx does: fal reports a model's failure there.
    const deniedAccess = (response: HttpResponse): boolean => response.status === 401 || response.status === 403;
    try {
      const response = await sendRequest(this.protocol.pollRequest(jobId, this.base), this.client);
      const polled = this.protocol.parsePoll(response, jobId, this.base);
      if (polled.kind !== 'fetch-result') return { ...polled, accessProblem: deniedAccess(response) || isRetryableStatus(response.status) };
      const result = await sendRequest(polled.request, this.client);
      if (!this.protocol.parseResult) return { kind: 'failed', message: `${this.protocol.provider}: a result endpoint was named but the protocol cannot read it`, accessProblem: false };
      return { ...this.protocol.parseResult(result, jobId, this.base), accessProblem: deniedAccess(result) };
    } catch (error) {
      return error instanceof HttpError ? error : new HttpError('network', errorMessage(error));
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}
