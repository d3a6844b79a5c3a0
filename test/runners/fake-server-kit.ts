import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import type { ResultsFile } from '../../suites/results.js';
import { runCli, type CliResult } from '../support/cli.js';
import { simulateClipOnce } from '../support/sim-clip-cache.js';

/**
 * What the three fake provider servers share: an HTTP server on 127.0.0.1 with a random port,
 * body parsing, fault tokens and a tiny real MP4 to serve.
 */

/**
 * Faults a test plants with `[[fault:NAME]]` or `[[fault:NAME:COUNT]]` in the prompt text, or with
 * `server.arm(NAME, COUNT)`. Each fires COUNT times (default 1), so a client that retries recovers.
 */
export const FAULTS = [
  /** 429 with `Retry-After: 1` on the create call. */
  '429-create',
  '500-create',
  '503-create',
  /** The create call is never answered (the client's timeout must fire). */
  'hang-create',
  /** 429 / 503 on a poll call: the job must survive it. */
  '429-poll',
  '503-poll',
  /** The download announces the full length, sends half, then drops the connection. */
  'drop-download',
  /** The download is a complete response holding only the first half of the file. */
  'truncate-download',
  /** The provider refuses the prompt at once (in its own synchronous form). */
  'refuse-sync',
  /** The job runs, then ends refused by the content policy. */
  'refuse',
  /** The job runs, then fails internally. */
  'fail',
  /** The job never leaves the running state. */
  'stuck',
  /** Runway: THROTTLED for COUNT polls before it starts. */
  'throttle',
] as const;
export type Fault = (typeof FAULTS)[number];

const FAULT_TOKEN = /\[\[fault:([a-z0-9-]+)(?::(\d+))?\]\]/g;

/** Faults planted in a prompt's text, with how many times each fires. */
export function faultsInText(text: string): Map<Fault, number> {
  const faults = new Map<Fault, number>();
  for (const match of text.matchAll(FAULT_TOKEN)) {
    const name = match[1] as Fault;
    if (!(FAULTS as readonly string[]).includes(name)) throw new Error(`fake server: unknown fault token ${match[0]}`);
    faults.set(name, Number(match[2] ?? '1'));
  }
  return faults;
}

/** Fault counters: `take` consumes one firing. */
export class FaultBudget {
  private readonly left = new Map<Fault, number>();

  constructor(initial: Map<Fault, number> = new Map()) {
    for (const [fault, count] of initial) this.left.set(fault, count);
  }

  arm(fault: Fault, count = 1): void {
    this.left.set(fault, (this.left.get(fault) ?? 0) + count);
  }

  has(fault: Fault): boolean {
    return (this.left.get(fault) ?? 0) > 0;
  }

  /** Whether the fault fires now (and uses it up). */
  take(fault: Fault): boolean {
    const left = this.left.get(fault) ?? 0;
    if (left <= 0) return false;
    this.left.set(fault, left - 1);
    return true;
  }

  count(fault: Fault): number {
    return this.left.get(fault) ?? 0;
  }
}

/** One request the server saw, for assertions (never the key itself). */
export interface SeenRequest {
  method: string;
  path: string;
  authorized: boolean;
}

export interface FakeHttpServer {
  url: string;
  close(): Promise<void>;
}

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer) => void | Promise<void>;

/** Starts an HTTP server on 127.0.0.1 with a random port; `close` also ends hung and streaming requests. */
export async function startHttpServer(handle: RouteHandler): Promise<FakeHttpServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      Promise.resolve(handle(request, response, url, Buffer.concat(chunks))).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { fakeServerError: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Serves a video, or breaks the download the way a planted fault says. */
export function sendVideo(response: ServerResponse, video: Buffer, faults: FaultBudget): void {
  const half = video.subarray(0, Math.floor(video.length / 2));
  if (faults.take('drop-download')) {
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
    response.write(half, () => response.socket?.destroy());
    return;
  }
  const body = faults.take('truncate-download') ? half : video;
  response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length });
  response.end(body);
}

/** The videos a fake serves: a clip for a prompt text, with or without an AAC track. */
export type ClipSource = (promptText: string, withAudio: boolean) => Buffer;

export interface FixtureClips {
  withAudio: Buffer;
  silent: Buffer;
  source: ClipSource;
}

/** A 320x180, 2 s simulator clip of one catalog prompt, as H.264+AAC and as H.264 only. */
export async function makeFixtureClips(dir: string, promptId = 'basketball-bounce-hardwood'): Promise<FixtureClips> {
  const prompt: Prompt = getPrompt(promptId);
  const options = { width: 320, height: 180, durationS: 2 };
  await simulateClipOnce(prompt, join(dir, 'with-audio.mp4'), options);
  await simulateClipOnce(prompt, join(dir, 'silent.mp4'), { ...options, audio: false });
  const withAudio = readFileSync(join(dir, 'with-audio.mp4'));
  const silent = readFileSync(join(dir, 'silent.mp4'));
  return { withAudio, silent, source: (_text, audio) => (audio ? withAudio : silent) };
}

/** Each catalog prompt's own 2 s clip, found by the prompt text the provider was sent (for end-to-end runs). */
export async function makeClipsForPrompts(dir: string, promptIds: readonly string[]): Promise<ClipSource> {
  const byText = new Map<string, FixtureClips>();
  for (const id of promptIds) {
    const sub = join(dir, id);
    byText.set(getPrompt(id).text, await makeFixtureClips(sub, id));
  }
  const fallback = byText.values().next().value;
  if (fallback === undefined) throw new Error('makeClipsForPrompts needs at least one prompt id');
  return (text, audio) => {
    const clips = [...byText.entries()].find(([promptText]) => text.includes(promptText))?.[1] ?? fallback;
    return audio ? clips.withAudio : clips.silent;
  };
}

/** Lifecycle settings for tests: polls every 10 ms, short backoff, 2 s call timeout, no rate limit. */
export const FAST_LIFECYCLE = { pollIntervalS: 0.01, retry: { baseDelayMs: 5, maxDelayMs: 2000, timeoutMs: 2000 }, requestsPerMinute: 0 } as const;

let promptCounter = 0;

/** A copy of a catalog prompt with fault tokens and a unique suffix, so no two tests share a cache entry. */
export function promptWithFaults(base: Prompt, ...tokens: string[]): Prompt {
  promptCounter += 1;
  return { ...base, id: `${base.id}-${promptCounter}`, text: `${base.text} ${tokens.map((token) => `[[fault:${token}]]`).join(' ')} #${promptCounter}` };
}

/** The smoke suite's prompts, whose clips the fakes serve in end-to-end runs. */
export const SMOKE_PROMPT_IDS = ['basketball-bounce-hardwood', 'tennis-ball-lob', 'rubber-balls-thrown-midair'] as const;

/**
 * Runs the compiled `physeval run --suite smoke` with one provider generator into `out` and reads
 * its results (report.html is written beside them). A config file lifts the provider's create-call limit (10 to 60 a minute by default),
 * which would pace a test at one call every few seconds.
 */
export async function runSmokeSuite(generatorId: string, env: NodeJS.ProcessEnv, out: string): Promise<CliResult & { results: ResultsFile | null }> {
  const config = `${out}.config.json`;
  mkdirSync(dirname(config), { recursive: true });
  const provider = generatorId.slice(0, generatorId.indexOf(':'));
  writeFileSync(config, JSON.stringify({ suite: 'smoke', generators: [{ id: generatorId, pollIntervalS: 0.02 }], providers: { [provider]: { requestsPerMinute: 0 } } }));
  // With the HTML report, as a user runs it: the key scan then covers the report too.
  const result = await runCli(['run', '--config', config, '--out', out, '--size', '320x180'], { env });
  const path = join(out, 'results.json');
  return { ...result, results: existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ResultsFile) : null };
}

/** Every file a run wrote, for scanning them for a key. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}
