import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What makes two generations the same: a cached video is reused only when all of it matches. */
export interface VideoCacheIdentity {
  provider: string;
  generatorId: string;
  /** The provider request body (model, prompt, parameters) as sent. */
  body: Record<string, unknown>;
  seed: number;
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
