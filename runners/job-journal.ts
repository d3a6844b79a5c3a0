import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

/**
 * The run's memory of provider jobs, one small file per item (`<jobsDir>/<item>.json`), written
 * the moment a create call returns so a killed run polls the existing job instead of paying again.
 */
const journalEntrySchema = z.object({
  provider: z.string(),
  jobId: z.string(),
  /** The cache key of the request: a changed request must not adopt an old job. */
  cacheKey: z.string(),
  costUsd: z.number().nonnegative(),
  createdAt: z.string(),
});

export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** `openai:sora-2|tennis-ball-lob|1` → `openai_sora-2_tennis-ball-lob_1.json`. */
export function journalPath(jobsDir: string, itemKey: string): string {
  return join(jobsDir, `${itemKey.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`);
}

/** The recorded job, or null when there is none or the file is unreadable (then a new job is created). */
export async function readJournal(path: string): Promise<JournalEntry | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = journalEntrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeJournal(path: string, entry: JournalEntry): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(entry, null, 1)}\n`);
}

/** Forgets a job that ended (refused, failed): a retried item then creates a new one. */
export async function clearJournal(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * The provider's name for an item's finished clip (Sora's video id, Veo's file URI), beside the
 * journal as `<item>.output.json`: an extension or remix of that item hands it to the provider.
 */
const outputRefSchema = z.object({ provider: z.string(), ref: z.string() });

export function outputRefPath(jobsDir: string, itemKey: string): string {
  return journalPath(jobsDir, itemKey).replace(/\.json$/, '.output.json');
}

export async function writeOutputRef(path: string, provider: string, ref: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify({ provider, ref })}\n`);
}

/** The recorded reference when it was made by `provider`, else undefined. */
export async function readOutputRef(path: string, provider: string): Promise<string | undefined> {
  try {
    const parsed = outputRefSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success && parsed.data.provider === provider ? parsed.data.ref : undefined;
  } catch {
    return undefined;
  }
}
