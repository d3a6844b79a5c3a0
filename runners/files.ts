import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Prompt } from '../prompts/schema.js';
import type { GenerateOutcome, GenerateRequest, Generator, PlanResult } from './types.js';

/** Containers ffmpeg reads that video apps export. */
const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.mkv'] as const;

const manifestSchema = z.record(z.string(), z.string().min(1));

export class FilesGeneratorError extends Error {
  override readonly name = 'FilesGeneratorError';
  constructor(
    readonly code: 'files-dir-unreadable' | 'files-manifest-invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `files:<dir>`: videos a user already has (any app, including Sora clips made before its
 * shutdown), mapped to prompt ids by `<dir>/manifest.json` (`{ "<promptId>": "clip.mp4" }`) or by
 * file name (`<promptId>-s<seed>.mp4` for one seed, `<promptId>.mp4` for every seed).
 */
export function createFilesGenerator(dir: string): Generator {
  const root = resolve(dir);
  const names = listFiles(root);
  const manifest = readManifest(root, names);

  /** The file for a prompt and seed, by manifest first, then by name; undefined when there is none. */
  function fileFor(promptId: string, seed: number | null): string | undefined {
    const listed = manifest[promptId];
    if (listed !== undefined) return isAbsolute(listed) ? listed : join(root, listed);
    const stems = seed === null ? [] : [`${promptId}-s${seed}`];
    stems.push(promptId);
    for (const stem of stems) {
      const name = names.find((candidate) => VIDEO_EXTENSIONS.some((ext) => candidate.toLowerCase() === `${stem}${ext}`));
      if (name !== undefined) return join(root, name);
    }
    if (seed === null) {
      const seeded = names.find((candidate) => new RegExp(`^${escapeRegExp(promptId)}-s\\d+\\.`, 'i').test(candidate));
      if (seeded !== undefined) return join(root, seeded);
    }
    return undefined;
  }

  function plan(prompt: Prompt): PlanResult {
    const file = fileFor(prompt.id, null);
    if (file === undefined) {
      return { supported: false, reason: `${root} has no video for '${prompt.id}' (neither in manifest.json nor named ${prompt.id}.mp4 or ${prompt.id}-s<seed>.mp4)` };
    }
    return { supported: true, notes: [`existing video ${file}`], costUsd: 0 };
  }

  async function generate(request: GenerateRequest): Promise<GenerateOutcome> {
    const file = fileFor(request.prompt.id, request.seed);
    if (file === undefined) return { status: 'failed', message: `${root} has no video for '${request.prompt.id}' with seed ${request.seed}`, costUsd: 0 };
    try {
      await mkdir(dirname(request.outPath), { recursive: true });
      const temporary = `${request.outPath}.${process.pid}.part`;
      await copyFile(file, temporary);
      await rename(temporary, request.outPath);
      return { status: 'ok', videoPath: request.outPath, costUsd: 0 };
    } catch (error) {
      return { status: 'failed', message: `cannot copy ${file}: ${error instanceof Error ? error.message : String(error)}`, costUsd: 0 };
    }
  }

  return {
    info: { id: `files:${dir}`, description: `videos you already have, in ${dir}, matched to prompts by manifest.json or file name`, modes: ['text-to-video'], priceUsdPerS: 0, needsKey: false },
    plan,
    generate,
  };
}

function listFiles(root: string): string[] {
  try {
    return readdirSync(root).sort();
  } catch (error) {
    throw new FilesGeneratorError('files-dir-unreadable', `files:${root}: cannot read the folder (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readManifest(root: string, names: readonly string[]): Record<string, string> {
  if (!names.includes('manifest.json')) return {};
  const path = join(root, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FilesGeneratorError('files-manifest-invalid', `${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) throw new FilesGeneratorError('files-manifest-invalid', `${path}: expected { "<promptId>": "file.mp4" }, ${manifest.error.issues[0]?.message ?? 'invalid'}`);
  return manifest.data;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
