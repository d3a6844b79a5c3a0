import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findFfmpeg } from '../media/locate.js';
import type { FailureRecord } from './results.js';

const execFileAsync = promisify(execFile);

/** Width of a key frame in the report's table and diagnostics; height follows the clip's aspect (even, for JPEG chroma). */
export const KEY_FRAME_WIDTH_PX = 240;

/** Where an item's key frame goes, relative to the run folder: the item key made file-safe. */
export function keyFramePathFor(key: string): string {
  return `frames/${key.replace(/[^a-zA-Z0-9._-]/g, '_')}.jpg`;
}

/**
 * The moment worth seeing: the first failure that has a time (the defect itself), otherwise the
 * middle of the clip.
 */
export function keyFrameTimeS(failures: readonly FailureRecord[], durationS: number): number {
  const timed = failures.find((failure) => failure.atS !== undefined && failure.atS >= 0 && failure.atS < durationS);
  return timed?.atS ?? durationS / 2;
}

/**
 * Writes one frame of `videoPath` at `atS` as a small JPEG under `outDir` and returns its path
 * relative to `outDir`, or undefined when ffmpeg cannot (the report then shows no picture; a
 * missing thumbnail never fails an item).
 */
export async function writeKeyFrame(videoPath: string, outDir: string, key: string, atS: number): Promise<string | undefined> {
  const relativePath = keyFramePathFor(key);
  const path = join(outDir, relativePath);
  try {
    await mkdir(dirname(path), { recursive: true });
    // -ss before -i seeks by the container index, exact to the frame with re-encoding output.
    await execFileAsync(findFfmpeg(), ['-v', 'error', '-y', '-ss', atS.toFixed(3), '-i', videoPath, '-frames:v', '1', '-vf', `scale=${KEY_FRAME_WIDTH_PX}:-2`, '-q:v', '5', path], { timeout: 30_000 });
    return relativePath;
  } catch {
    await rm(path, { force: true });
    return undefined;
  }
}
