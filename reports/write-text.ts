import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Writes a report file atomically (temp file + rename), creating its folder: a reader never sees half a file. */
export async function writeReportFile(path: string, contents: string | Buffer): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, contents, typeof contents === 'string' ? { encoding: 'utf8' } : {});
  return path;
}
