import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What makes two generations the same: a cached video is reused only when all of it matches. */
export interface VideoCacheIdentity {
  provider: string;
  generatorId: string;
  /** The provider request body (model, prompt, parameters) as sent. */
  body: Record<string, unknown>;
  seed: number;
  /** For a continuation or remix: the source clip's SHA-256 and where the new part starts. */
  source?: { sha256: string; boundaryS?: number };
}

/** SHA-256 of the identity as canonical JSON (object keys sorted), so key order never splits the cache. */
export function videoCacheKey(identity: VideoCacheIdentity): string {
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `PHYSEVAL_CACHE_DIR`, else `$XDG_CACHE_HOME/physeval/videos`, else `~/.cache/physeval/videos`. */
export function videoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PHYSEVAL_CACHE_DIR) return env.PHYSEVAL_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'physeval', 'videos');
}

export function cachedVideoPath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.mp4`);
}

/** Copies a cached video to `outPath` and says whether there was one. */
export async function restoreFromCache(cacheDir: string, key: string, outPath: string): Promise<boolean> {
  const cached = cachedVideoPath(cacheDir, key);
  try {
    if ((await stat(cached)).size === 0) return false;
  } catch {
    return false;
  }
  await mkdir(dirname(outPath), { recursive: true });
  await copyAtomically(cached, outPath);
  return true;
}

/** Stores a checked video under its key; a copy then a rename, so a reader never sees half a file. */
export async function storeInCache(cacheDir: string, key: string, videoPath: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await copyAtomically(videoPath, cachedVideoPath(cacheDir, key));
}

async function copyAtomically(from: string, to: string): Promise<void> {
  const temporary = `${to}.${process.pid}.${Date.now()}.part`;
  await copyFile(from, temporary);
  await rename(temporary, to);
}

/** The provider's name for a cached clip (`<key>.ref`), so an extension of a cached clip can still name it. */
export async function storeRefInCache(cacheDir: string, key: string, ref: string): Promise<void> {
  const path = join(cacheDir, `${key}.ref`);
  const temporary = `${path}.${process.pid}.${Date.now()}.part`;
  await writeFile(temporary, ref);
  await rename(temporary, path);
}

export async function readRefFromCache(cacheDir: string, key: string): Promise<string | undefined> {
  try {
    const ref = (await readFile(join(cacheDir, `${key}.ref`), 'utf8')).trim();
    return ref === '' ? undefined : ref;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file's bytes, streamed (a source clip's identity in the cache key of its extension). */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
