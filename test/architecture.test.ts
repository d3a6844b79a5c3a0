import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Data flows one way (../shared/STYLE.md): which top-level folder may import which. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  prompts: [],
  media: [],
  runners: ['prompts', 'media'],
  metrics: ['prompts', 'media'],
  suites: ['prompts', 'runners', 'metrics', 'media'],
  // Reports are pure functions of the results: they may see result and metric *types* only.
  reports: [],
};
const TYPES_ONLY_FOR_REPORTS = ['suites', 'metrics', 'prompts'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface ImportEdge {
  file: string;
  target: string;
  typeOnly: boolean;
}

function internalImports(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = relative(ROOT, resolve(dirname(file), match[3]!)).split('/')[0]!;
    edges.push({ file: relative(ROOT, file), target, typeOnly: match[2] !== undefined });
  }
  for (const match of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) {
    edges.push({ file: relative(ROOT, file), target: relative(ROOT, resolve(dirname(file), match[1]!)).split('/')[0]!, typeOnly: false });
  }
  return edges;
}

describe('folder imports follow the one-way data flow', () => {
  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${folder}/ imports only ${allowed.length > 0 ? allowed.join(', ') : 'nothing internal'}${folder === 'reports' ? ' (and result and metric types)' : ''}`, () => {
      const violations = sourceFiles(join(ROOT, folder))
        .flatMap(internalImports)
        .filter((edge) => edge.target !== folder && !allowed.includes(edge.target))
        .filter((edge) => !(folder === 'reports' && edge.typeOnly && TYPES_ONLY_FOR_REPORTS.includes(edge.target)))
        .map((edge) => `${edge.file} → ${edge.target}/${edge.typeOnly ? ' (type)' : ''}`);
      expect(violations).toEqual([]);
    });
  }
});
