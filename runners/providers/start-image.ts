import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

/** A prompt's start image, read for an inline upload (base64), or why it cannot be used. */
export type StartImage = { base64: string; mimeType: string; dataUri: string } | { problem: string };

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** Reads the image a prompt starts from; providers take it inline because physeval hosts no public URL. */
export function readStartImage(path: string): StartImage {
  const mimeType = MIME_BY_EXTENSION[extname(path).toLowerCase()];
  if (mimeType === undefined) return { problem: `start image ${path} is not PNG, JPEG or WebP` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { problem: `start image ${path} cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const base64 = bytes.toString('base64');
  return { base64, mimeType, dataUri: `data:${mimeType};base64,${base64}` };
}
