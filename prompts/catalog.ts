import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { packageRoot } from './package-root.js';
import { catalogFileSchema, type Prompt } from './schema.js';
import { closestNames } from './did-you-mean.js';

export type CatalogErrorCode = 'catalog-invalid' | 'catalog-duplicate-id' | 'prompt-not-found';

/** A catalog that cannot be used, or a prompt id that is not in it. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';

  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    /** Close ids for 'prompt-not-found', best first. */
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The folder of the catalog shipped with physeval (`<package>/prompts/catalog`). */
export function defaultCatalogDir(): string {
  return join(packageRoot(), 'prompts', 'catalog');
}

/** `prompts[3].expect.objects[0].diameterM` from zod's path array. */
function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

function formatIssues(displayPath: string, issues: readonly z.core.$ZodIssue[], raw: unknown): string {
  const lines = issues.map((issue) => {
    const where = formatIssuePath(issue.path);
    const promptId = idAt(raw, issue.path);
    const message = issue.message.replace(/^Invalid input: /, '');
    return `${displayPath}: ${where}: ${message}${promptId === undefined ? '' : ` (prompt '${promptId}')`}`;
  });
  return lines.join('\n');
}

/** The id of the prompt an issue path points into, when the raw data has one, to help find the entry. */
function idAt(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'prompts' || typeof path[1] !== 'number') return undefined;
  if (typeof raw !== 'object' || raw === null || !('prompts' in raw) || !Array.isArray(raw.prompts)) return undefined;
  const entry: unknown = raw.prompts[path[1]];
  if (typeof entry !== 'object' || entry === null || !('id' in entry)) return undefined;
  return typeof entry.id === 'string' ? entry.id : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Parses one catalog file; `displayPath` is how messages name it. */
function parseCatalogFile(filePath: string, displayPath: string): Prompt[] {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new CatalogError('catalog-invalid', `${displayPath}: cannot read the file (${messageOf(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CatalogError('catalog-invalid', `${displayPath}: invalid JSON: ${messageOf(error)}`);
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogError('catalog-invalid', formatIssues(displayPath, parsed.error.issues, raw));
  // A start image is written relative to its catalog file; downstream code gets an absolute path.
  const fileDir = dirname(resolve(filePath));
  return parsed.data.prompts.map((prompt) =>
    prompt.startImage === undefined || isAbsolute(prompt.startImage)
      ? prompt
      : { ...prompt, startImage: resolve(fileDir, prompt.startImage) },
  );
}

/** Throws on an id that occurs twice, naming both places. */
function assertUniqueIds(entries: readonly { prompt: Prompt; where: string }[]): void {
  const firstSeen = new Map<string, string>();
  for (const { prompt, where } of entries) {
    const earlier = firstSeen.get(prompt.id);
    if (earlier !== undefined) {
      throw new CatalogError('catalog-duplicate-id', `prompt id '${prompt.id}' appears twice: ${earlier} and ${where}`);
    }
    firstSeen.set(prompt.id, where);
  }
}

/** Loads a user's own catalog file (`{ "prompts": [...] }`); messages name the path as given. */
export function loadPromptFile(path: string): Prompt[] {
  const prompts = parseCatalogFile(path, path);
  assertUniqueIds(prompts.map((prompt, index) => ({ prompt, where: `${path}: prompts[${index}]` })));
  return prompts;
}

/** Shown paths: relative to the package root for the shipped catalog, else relative to the working directory. */
function displayPathOf(filePath: string): string {
  const root = packageRoot();
  const base = filePath.startsWith(root + sep) ? root : process.cwd();
  const shown = relative(base, filePath);
  return shown.startsWith('..') ? filePath : shown.split(sep).join('/');
}

const cache = new Map<string, Prompt[]>();

/**
 * Every prompt of every `*.json` file in `dir` (files in name order, prompts in file order).
 * Parsed once per folder; each call returns a fresh copy, so callers may change what they get.
 */
export function loadCatalog(dir: string = defaultCatalogDir()): Prompt[] {
  const folder = resolve(dir);
  let prompts = cache.get(folder);
  if (prompts === undefined) {
    prompts = readCatalogFolder(folder);
    cache.set(folder, prompts);
  }
  return structuredClone(prompts);
}

function readCatalogFolder(folder: string): Prompt[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CatalogError('catalog-invalid', `${displayPathOf(folder)}: catalog folder not found`);
  }
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) {
    throw new CatalogError('catalog-invalid', `${displayPathOf(folder)}: no .json catalog files in the folder`);
  }
  const entries = files.flatMap((name) => {
    const shown = displayPathOf(join(folder, name));
    return parseCatalogFile(join(folder, name), shown).map((prompt, index) => ({ prompt, where: `${shown}: prompts[${index}]` }));
  });
  assertUniqueIds(entries);
  return entries.map((entry) => entry.prompt);
}

/** The prompt with this id; an unknown id fails with the closest ids as suggestions. */
export function getPrompt(id: string, catalog: readonly Prompt[] = loadCatalog()): Prompt {
  const found = catalog.find((prompt) => prompt.id === id);
  if (found !== undefined) return found;
  const suggestions = closestNames(
    id,
    catalog.map((prompt) => prompt.id),
  );
  const hint = suggestions.length === 0 ? '' : `; did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`;
  throw new CatalogError('prompt-not-found', `unknown prompt id '${id}' (${catalog.length} prompts in the catalog)${hint}`, suggestions);
}
