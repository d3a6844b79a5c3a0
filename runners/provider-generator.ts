import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isMediaError } from '../media/errors.js';
import { probeVideo } from '../media/probe.js';
import type { VideoInfo } from '../media/types.js';
import type { FromClip, Prompt } from '../prompts/schema.js';
import { downloadVideo } from './download.js';
import { HttpError, isRetryableStatus, RETRY_DEFAULTS, sendRequest, sleep, type HttpClientOptions, type RetryPolicy } from './http-client.js';
import { clearJournal, journalPath, outputRefPath, readJournal, readOutputRef, writeJournal, writeOutputRef, type JournalEntry } from './job-journal.js';
import { clipCostUsd } from './pricing.js';
import type { HttpResponse, PollResult, ProviderBase, ProviderProtocol, ProviderRequest } from './provider-protocol.js';
import { createProviderSlot, FALLBACK_PROVIDER_LIMITS, type ProviderSlot } from './provider-limits.js';
import { redact } from './redact.js';
import { boundaryInClipS, extractFrameAt, joinAtBoundary, SourceClipError, trimClip } from './source-clip.js';
import type { GenerateOutcome, GenerateRequest, GenerationMode, Generator, GeneratorInfo, PlanResult } from './types.js';
import { cachedVideoPath, fileSha256, readRefFromCache, restoreFromCache, storeInCache, storeRefInCache, videoCacheDir, videoCacheKey, type VideoCacheIdentity } from './video-cache.js';

/** How one provider generator behaves in a run; every field has a default. */
export interface ProviderGeneratorOptions {
  /** Folder of the job journal (the run's `jobs/`); the video's own folder when absent. */
  jobsDir?: string;
  /** Seconds between polls when the provider gives no hint; `PHYSEVAL_POLL_INTERVAL_S` overrides it. */
  pollIntervalS?: number;
  /** Longest a job may take from create to finished video before the item is a `timeout`. */
  timeoutS?: number;
  /**
   * This generator's own cap on jobs in flight. With a `providerSlot` it applies inside the provider's
   * shared limit, and only when set; without one it is the generator's only limit (default 4).
   */
  concurrency?: number;
  /** This generator's own cap on create calls per minute, like `concurrency` (default 60 without a slot); 0 for none. */
  requestsPerMinute?: number;
  /** The run's limits for this generator's provider, shared by all of that provider's generators. */
  providerSlot?: ProviderSlot;
  retry?: Partial<RetryPolicy>;
  /** Where keys and base URLs are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

export const PROVIDER_DEFAULTS = { timeoutS: 1800 } as const;

type Failure = Exclude<GenerateOutcome, { status: 'ok' }>;
type Success = Extract<GenerateOutcome, { status: 'ok' }>;

/**
 * Turns a provider's wire protocol into a Generator with the shared job lifecycle: cache lookup,
 * the job journal (id saved before the first poll), polling at the provider's cadence, checked
 * downloads, retries and limits, and outcomes as values. A key never leaves this function unredacted.
 * A `fromClip` prompt is continued or remixed natively when the protocol can, else continued from the
 * source's frame at the boundary as image-to-video and joined to the source.
 */
export function createProviderGenerator(protocol: ProviderProtocol, baseInfo: GeneratorInfo, options: ProviderGeneratorOptions = {}): Generator {
  const env = options.env ?? process.env;
  const info: GeneratorInfo = { ...baseInfo, modes: modesOf(protocol, baseInfo.modes) };
  const slot =
    options.providerSlot ??
    createProviderSlot(protocol.provider, {
      concurrency: options.concurrency ?? FALLBACK_PROVIDER_LIMITS.concurrency,
      requestsPerMinute: options.requestsPerMinute ?? FALLBACK_PROVIDER_LIMITS.requestsPerMinute,
    });
  // With a shared slot, the generator's own options (when set) cap it further.
  const own = options.providerSlot !== undefined && (options.concurrency !== undefined || options.requestsPerMinute !== undefined)
    ? createProviderSlot(protocol.provider, { concurrency: options.concurrency ?? Infinity, requestsPerMinute: options.requestsPerMinute ?? 0 })
    : undefined;
  const createLimiter = { take: async (): Promise<void> => { await own?.creates.take(); await slot.creates.take(); } };
  const withinLimits = <T>(work: () => Promise<T>): Promise<T> => (own ? own.run(() => slot.run(work)) : slot.run(work));
  const retry: RetryPolicy = { ...RETRY_DEFAULTS, ...options.retry };
  const pollIntervalMs = 1000 * (positiveNumber(env.PHYSEVAL_POLL_INTERVAL_S) ?? options.pollIntervalS ?? protocol.pollIntervalS);
  const timeoutMs = 1000 * (options.timeoutS ?? PROVIDER_DEFAULTS.timeoutS);
  const jobsDirOf = (request: GenerateRequest): string => options.jobsDir ?? dirname(request.outPath);

  function plan(prompt: Prompt, seed?: number): PlanResult {
    // A continuation's cache key holds its source's bytes, unknown before the source exists.
    if (prompt.fromClip !== undefined) return planResult(planFromClip(prompt, prompt.fromClip), false);
    const prepared = protocol.prepare(prompt, seed ?? 0);
    const cached = seed !== undefined && !('unsupported' in prepared) && isCached({ provider: protocol.provider, generatorId: info.id, body: prepared.body, seed });
    return planResult(prepared, cached);
  }

  function planResult(prepared: Pick<ProviderRequest, 'billedSeconds' | 'notes'> | { unsupported: string }, cached: boolean): PlanResult {
    if ('unsupported' in prepared) return { supported: false, reason: prepared.unsupported };
    const notes = [...(prepared.notes ?? [])];
    if (cached) notes.push('in the video cache: no request, no cost');
    else if (!env[protocol.keyEnv]) notes.push(`${protocol.keyEnv} is not set: a run would record this item as failed`);
    return { supported: true, notes, costUsd: cached ? 0 : clipCostUsd(prepared.billedSeconds, info.priceUsdPerS) };
  }

  function isCached(identity: VideoCacheIdentity): boolean {
    return existsSync(cachedVideoPath(videoCacheDir(env), videoCacheKey(identity)));
  }

  /** What a `fromClip` prompt would cost and how it would be made, before its source exists. */
  function planFromClip(prompt: Prompt, fromClip: FromClip): Pick<ProviderRequest, 'billedSeconds' | 'notes'> | { unsupported: string } {
    const native = protocol.fromClip?.prepare(prompt, 0, null) ?? null;
    if (native !== null) return native;
    if (fromClip.as === 'remix') return { unsupported: `${info.id} cannot remix a clip (only OpenAI's videos API has a remix call)` };
    if (!info.modes.includes('image-to-video')) return { unsupported: `${info.id} has no native extension and no image-to-video mode to continue a clip from its last frame` };
    // The frame does not exist yet: the text-to-video mapping of the same prompt gives the billed length where there is one.
    const probe = protocol.prepare({ ...prompt, fromClip: undefined, startImage: undefined }, 0);
    const billedSeconds = 'unsupported' in probe ? prompt.durationS : probe.billedSeconds;
    return {
      billedSeconds,
      notes: [`video extension from the source's frame at the boundary as image-to-video (${billedSeconds} s), joined to the source at the boundary`],
    };
  }

  async function generate(request: GenerateRequest): Promise<GenerateOutcome> {
    if (request.prompt.fromClip !== undefined) return generateFromClip(request, request.prompt.fromClip);
    const prepared = protocol.prepare(request.prompt, request.seed);
    if ('unsupported' in prepared) return { status: 'failed', message: `${info.id}: ${prepared.unsupported}`, costUsd: 0 };
    return produce(request, prepared, request.outPath);
  }

  /** One provider request to one checked video at `outPath`: from the cache, an adopted job, or a new one. */
  async function produce(request: GenerateRequest, prepared: ProviderRequest, outPath: string, source?: VideoCacheIdentity['source']): Promise<GenerateOutcome> {
    const key = env[protocol.keyEnv];
    if (!key) return { status: 'failed', message: `${protocol.keyEnv} is not set: ${info.id} reads its API key from the environment`, costUsd: 0 };
    const baseUrl = (env[protocol.baseUrlEnv] || protocol.defaultBaseUrl).replace(/\/+$/, '');
    if (!baseUrl) return { status: 'failed', message: `${protocol.baseUrlEnv} is not set: ${info.id} needs its endpoint`, costUsd: 0 };
    const cacheDir = videoCacheDir(env);
    const cacheKey = videoCacheKey({ provider: protocol.provider, generatorId: info.id, body: prepared.body, seed: request.seed, ...(source ? { source } : {}) });
    const refPath = outputRefPath(jobsDirOf(request), itemKeyOf(info.id, request.prompt.id, request.seed));
    if (await restoreFromCache(cacheDir, cacheKey, outPath)) {
      const ref = await readRefFromCache(cacheDir, cacheKey);
      if (ref !== undefined) await writeOutputRef(refPath, protocol.provider, ref);
      return { status: 'ok', videoPath: outPath, costUsd: 0 };
    }
    const client: HttpClientOptions = { retry, secrets: [key] };
    const job = new Job(protocol, { baseUrl, key }, client, createLimiter, request, prepared, cacheKey, info, outPath);
    return withinLimits(async () => {
      const outcome = await job.run(jobsDirOf(request), pollIntervalMs, timeoutMs);
      if (outcome.status !== 'ok') return { ...outcome, message: redact(outcome.message, [key]) };
      await storeInCache(cacheDir, cacheKey, outcome.videoPath);
      if (job.outputRef !== undefined) {
        await writeOutputRef(refPath, protocol.provider, job.outputRef);
        await storeRefInCache(cacheDir, cacheKey, job.outputRef);
      }
      return outcome;
    });
  }

  async function generateFromClip(request: GenerateRequest, fromClip: FromClip): Promise<GenerateOutcome> {
    const fail = (message: string): Failure => ({ status: 'failed', message: `${info.id}: ${message}`, costUsd: 0 });
    if (request.source === undefined) return fail(`prompt ${request.prompt.id} continues a clip, but the run found no source clip for it`);
    const sourcePath = request.source.videoPath;
    const scratch = (suffix: string): string => `${request.outPath.replace(/\.mp4$/i, '')}.${suffix}`;
    const temporaries: string[] = [];
    try {
      const source = await probeVideo(sourcePath);
      const boundaryS = fromClip.as === 'remix' ? source.durationS : boundaryInClipS(fromClip.boundaryS, source.durationS, source.fps);
      const identity = { sha256: await fileSha256(sourcePath), ...(fromClip.as === 'extension' ? { boundaryS } : {}) };
      if (protocol.fromClip !== undefined) {
        const ref = request.source.promptId === undefined
          ? undefined
          : await readOutputRef(outputRefPath(jobsDirOf(request), itemKeyOf(info.id, request.source.promptId, request.seed)), protocol.provider);
        let uploadPath = sourcePath;
        // A provider continues from the end of what it is given: a boundary before the end means uploading the cut clip.
        if (fromClip.as === 'extension' && boundaryS < source.durationS - 0.5 / source.fps) {
          uploadPath = scratch('source-cut.mp4');
          temporaries.push(uploadPath);
          await trimClip(sourcePath, boundaryS, uploadPath);
        }
        const native = protocol.fromClip.prepare(request.prompt, request.seed, { videoPath: uploadPath, durationS: source.durationS, boundaryS, ...(ref === undefined ? {} : { ref }) });
        if (native !== null) {
          if ('unsupported' in native) return fail(native.unsupported);
          const producedPath = scratch('provider.mp4');
          temporaries.push(producedPath);
          const outcome = await produce(request, native, producedPath, identity);
          if (outcome.status !== 'ok') return outcome;
          if (native.mode === 'video-remix') {
            await rename(producedPath, request.outPath);
            return { status: 'ok', videoPath: request.outPath, costUsd: outcome.costUsd, generation: { mode: 'video-remix', via: 'native' } };
          }
          return await finishExtension(outcome, source, boundaryS, producedPath, native.billedSeconds, 'native', request.outPath);
        }
      }
      if (fromClip.as === 'remix') return fail('cannot remix a clip (only OpenAI\'s videos API has a remix call)');
      const framePath = scratch('boundary-frame.png');
      temporaries.push(framePath);
      await extractFrameAt(sourcePath, boundaryS, framePath);
      const prepared = protocol.prepare({ ...request.prompt, fromClip: undefined, startImage: framePath }, request.seed);
      if ('unsupported' in prepared) return fail(`cannot continue the clip from its last frame: ${prepared.unsupported}`);
      const continuationPath = scratch('continuation.mp4');
      temporaries.push(continuationPath);
      const outcome = await produce(request, prepared, continuationPath, identity);
      if (outcome.status !== 'ok') return outcome;
      return await finishExtension(outcome, source, boundaryS, continuationPath, prepared.billedSeconds, 'last-frame', request.outPath);
    } catch (error) {
      if (error instanceof SourceClipError || isMediaError(error)) return fail(`source clip ${sourcePath}: ${error.message}`);
      throw error;
    } finally {
      await Promise.all(temporaries.map((path) => rm(path, { force: true })));
    }
  }

  return { info, plan, generate };
}

/**
 * The delivered extension: a provider that returned the source and its continuation in one clip
 * (Sora does; its length is near boundary + new part) is kept as it is, a continuation alone is joined
 * to the source's first `boundaryS` seconds.
 */
async function finishExtension(outcome: Success, source: VideoInfo, boundaryS: number, producedPath: string, newPartS: number, via: 'native' | 'last-frame', outPath: string): Promise<GenerateOutcome> {
  const produced = await probeVideo(producedPath);
  const holdsSource = Math.abs(produced.durationS - (boundaryS + newPartS)) < Math.abs(produced.durationS - newPartS);
  if (holdsSource) await rename(producedPath, outPath);
  else await joinAtBoundary(source, boundaryS, produced, outPath);
  return { status: 'ok', videoPath: outPath, costUsd: outcome.costUsd, generation: { mode: 'video-extension', via, boundaryS } };
}

/** The modes a generator offers: its own, any native continuation, and extension from the last frame wherever image-to-video exists. */
function modesOf(protocol: ProviderProtocol, modes: readonly GenerationMode[]): GenerationMode[] {
  const all = new Set<GenerationMode>(modes);
  for (const mode of protocol.fromClip?.modes ?? []) all.add(mode);
  if (all.has('image-to-video')) all.add('video-extension');
  return MODE_ORDER.filter((mode) => all.has(mode));
}

const MODE_ORDER: readonly GenerationMode[] = ['text-to-video', 'image-to-video', 'video-extension', 'video-remix'];

/** The item key the run journals a job under: `generator|prompt|seed`. */
function itemKeyOf(generatorId: string, promptId: string, seed: number): string {
  return `${generatorId}|${promptId}|${seed}`;
}

/** One item's trip through a provider: create (or adopt the journalled job), poll, download. */
class Job {
  constructor(
    private readonly protocol: ProviderProtocol,
    private readonly base: ProviderBase,
    private readonly client: HttpClientOptions,
    private readonly createLimiter: HttpClientOptions['limiter'],
    private readonly request: GenerateRequest,
    private readonly prepared: ProviderRequest,
    private readonly cacheKey: string,
    private readonly info: GeneratorInfo,
    private readonly outPath: string,
  ) {}

  /** The provider's name for the finished clip, once the job has succeeded and said it. */
  outputRef: string | undefined;

  async run(jobsDir: string, pollIntervalMs: number, timeoutMs: number): Promise<GenerateOutcome> {
    const path = journalPath(jobsDir, itemKeyOf(this.info.id, this.request.prompt.id, this.request.seed));
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
          const position = polled.queuePosition === undefined ? undefined : `position ${polled.queuePosition}`;
          const detail = polled.progress !== undefined ? `${Math.round(polled.progress)}%` : queued ? position : polled.note;
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
          const downloaded = await downloadVideo(polled.download, this.outPath, this.client);
          // A failed download keeps the journal: the video exists, a retried run fetches it again without paying.
          if (!downloaded.ok) return { status: 'failed', message: `${this.info.id}: job ${entry.jobId}: ${downloaded.message}`, costUsd };
          this.outputRef = polled.outputRef;
          return { status: 'ok', videoPath: this.outPath, costUsd };
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

  private async create(): Promise<JournalEntry | Failure> {
    this.request.onProgress?.('queued', 'submitting');
    let response: HttpResponse;
    try {
      response = await sendRequest(this.protocol.submitRequest(this.prepared, this.base), { ...this.client, ...(this.createLimiter ? { limiter: this.createLimiter } : {}) });
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
