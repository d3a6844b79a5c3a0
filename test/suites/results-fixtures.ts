import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemResult, ResultsFile } from '../../suites/results.js';
import { summarize } from '../../suites/results-store.js';

export interface FakeItem {
  generator?: string;
  promptId: string;
  seed?: number;
  gravityMS2?: number | null;
  restitution?: number[];
  offsetMs?: number | null;
  flickerIndex?: number;
  status?: ItemResult['status'];
}

/** An analysed item as `physeval run` writes it; gravity more than 8.5% off 9.81 m/s² fails with gravity-off, as the trajectory metric would. */
export function fakeItem(spec: FakeItem): ItemResult {
  const generator = spec.generator ?? 'sim:ideal';
  const seed = spec.seed ?? 1;
  const status = spec.status ?? 'ok';
  const gravityMS2 = spec.gravityMS2 === undefined ? 9.81 : spec.gravityMS2;
  const failures =
    status === 'ok' && gravityMS2 !== null && Math.abs(gravityMS2 - 9.81) / 9.81 > 0.085
      ? [{ code: 'gravity-off' as const, message: `gravity ${gravityMS2.toFixed(1)} m/s², expected 9.81`, atS: 0.5 }]
      : [];
  return {
    key: `${generator}|${spec.promptId}|${seed}`,
    promptId: spec.promptId,
    category: 'bounce',
    generator,
    seed,
    status,
    ...(status === 'ok' ? {} : { message: 'the provider gave up' }),
    video: null,
    costUsd: 0,
    metrics:
      status === 'ok'
        ? {
            trajectory: { gravityMS2, gravityPxS2: gravityMS2 === null ? null : gravityMS2 * 80, restitution: spec.restitution ?? [0.75], contactsS: [0.6] },
            avsync: { hasAudio: true, offsetMs: spec.offsetMs === undefined ? 2 : spec.offsetMs, confidence: 0.8 },
            temporal: { flickerIndex: spec.flickerIndex ?? 0.001 },
          }
        : {},
    metricErrors: {},
    verdict: { pass: status === 'ok' && failures.length === 0, failures },
    elapsedS: 1.5,
  };
}

export function fakeRun(items: ItemResult[], overrides: { runId?: string; startedAt?: string; suite?: string } = {}): ResultsFile {
  const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    schemaVersion: 1,
    physevalVersion: '0.1.0',
    runId: overrides.runId ?? '20261125-120000',
    startedAt: overrides.startedAt ?? '2026-11-25T12:00:00.000Z',
    finishedAt: overrides.startedAt ?? '2026-11-25T12:05:00.000Z',
    config: {
      suite: overrides.suite ?? 'bouncing-balls',
      generators: [...new Set(sorted.map((item) => item.generator))],
      seeds: [...new Set(sorted.map((item) => item.seed))],
      concurrency: 2,
      width: 320,
      height: 180,
      fps: 30,
      thresholds: {},
    },
    metricVersions: { trajectory: '0.1.0', temporal: '1.0.0', avsync: '1.0.0' },
    summary: summarize(sorted),
    items: sorted,
  };
}

/** Twelve prompts `p01`..`p12`, one item each, built by `spec(index)`. */
export function twelve(spec: (index: number) => Omit<FakeItem, 'promptId'>): ItemResult[] {
  return Array.from({ length: 12 }, (_, index) => fakeItem({ promptId: `p${String(index + 1).padStart(2, '0')}`, ...spec(index) }));
}

export function writeRun(dir: string, results: ResultsFile): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  return dir;
}
