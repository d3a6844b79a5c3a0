import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MergeError, mergeRuns } from '../../suites/merge.js';
import type { ItemResult, ResultsFile } from '../../suites/results.js';
import { fakeItem, fakeRun, writeRun } from './results-fixtures.js';

/** The item with a video and a key frame written in its run folder. */
function withVideo(item: ItemResult, dir: string): ItemResult {
  const path = `videos/${item.promptId}.mp4`;
  const keyFrame = `frames/${item.promptId}.jpg`;
  mkdirSync(join(dir, 'videos'), { recursive: true });
  mkdirSync(join(dir, 'frames'), { recursive: true });
  writeFileSync(join(dir, path), `clip of ${item.key}`);
  writeFileSync(join(dir, keyFrame), `frame of ${item.key}`);
  return { ...item, keyFrame, video: { path, width: 320, height: 180, fps: 30, frames: 30, durationS: 1, hasAudio: false } };
}

function shard(results: ResultsFile, index: number, total: number, startedAt: string): ResultsFile {
  return { ...results, startedAt, runId: startedAt, config: { ...results.config, shard: { index, total } } };
}

describe('mergeRuns', () => {
  const root = mkdtempSync(join(tmpdir(), 'physeval-merge-unit-'));

  it('unions the items by key, recomputes the summary, drops the shard and brings the videos and key frames', async () => {
    const dirs = [join(root, 'a'), join(root, 'b')];
    const a = [withVideo(fakeItem({ promptId: 'p01' }), dirs[0] as string), withVideo(fakeItem({ promptId: 'p03', gravityMS2: 4.9 }), dirs[0] as string)];
    const b = [withVideo(fakeItem({ promptId: 'p02' }), dirs[1] as string)];
    writeRun(dirs[0] as string, shard(fakeRun(a), 1, 2, '2026-11-25T12:00:05.000Z'));
    writeRun(dirs[1] as string, shard(fakeRun(b), 2, 2, '2026-11-25T12:00:01.000Z'));
    const out = join(root, 'merged');
    const { results, filesCopied, warnings } = await mergeRuns(dirs, out);
    expect(warnings).toEqual([]);
    expect(filesCopied).toBe(6);
    expect(results.items.map((item) => item.key)).toEqual(['sim:ideal|p01|1', 'sim:ideal|p02|1', 'sim:ideal|p03|1']);
    expect(results.summary).toEqual({ items: 3, analysed: 3, passed: 2, failed: 1, notAnalysed: 0, costUsd: 0 });
    expect(results.config.shard).toBeUndefined();
    expect(results.startedAt).toBe('2026-11-25T12:00:01.000Z');
    expect(results.runId).toBe('20261125-120001');
    expect(readFileSync(join(out, 'videos/p02.mp4'), 'utf8')).toBe('clip of sim:ideal|p02|1');
    expect(readFileSync(join(out, 'frames/p03.jpg'), 'utf8')).toBe('frame of sim:ideal|p03|1');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(results);
  });

  it('warns about a missing shard and a missing video, and still merges', async () => {
    const dir = join(root, 'lonely');
    writeRun(dir, shard(fakeRun([{ ...fakeItem({ promptId: 'p01' }), groundTruth: 'videos/p01.truth.json' }]), 2, 3, '2026-11-25T12:00:00.000Z'));
    const { warnings, results } = await mergeRuns([dir], join(root, 'lonely-merged'));
    expect(results.items).toHaveLength(1);
    expect(warnings).toEqual([
      'shards 1/3, 3/3 not given: the merged run lacks their items',
      `${join(dir, 'videos/p01.truth.json')} (named by sim:ideal|p01|1) is missing: the merged run does not have it`,
    ]);
  });

  it('refuses an item in two folders, a shard given twice and a path outside the run folder', async () => {
    const one = writeRun(join(root, 'one'), fakeRun([fakeItem({ promptId: 'p01' })]));
    const two = writeRun(join(root, 'two'), fakeRun([fakeItem({ promptId: 'p01' })]));
    await expect(mergeRuns([one, two], join(root, 'dup'))).rejects.toThrow(`item sim:ideal|p01|1 is in both ${one} and ${two}`);
    const s1 = writeRun(join(root, 's1'), shard(fakeRun([fakeItem({ promptId: 'p01' })]), 1, 2, '2026-11-25T12:00:00.000Z'));
    const s1again = writeRun(join(root, 's1-again'), shard(fakeRun([fakeItem({ promptId: 'p02' })]), 1, 2, '2026-11-25T12:00:00.000Z'));
    await expect(mergeRuns([s1, s1again], join(root, 'twice'))).rejects.toMatchObject({ code: 'merge-shards' });
    const escaping = { ...fakeItem({ promptId: 'p01' }), groundTruth: '../../etc/passwd' };
    const sneaky = writeRun(join(root, 'sneaky'), fakeRun([escaping]));
    await expect(mergeRuns([sneaky], join(root, 'sneaky-merged'))).rejects.toBeInstanceOf(MergeError);
    expect(existsSync(join(root, 'sneaky-merged', 'results.json'))).toBe(false);
  });

  it('refuses runs of different sizes', async () => {
    const small = writeRun(join(root, 'small'), fakeRun([fakeItem({ promptId: 'p01' })]));
    const big = fakeRun([fakeItem({ promptId: 'p02' })]);
    const bigDir = writeRun(join(root, 'big'), { ...big, config: { ...big.config, width: 640, height: 360 } });
    await expect(mergeRuns([small, bigDir], join(root, 'sizes'))).rejects.toThrow(`cannot merge ${small} and ${bigDir}: they are different runs (size "320x180" vs "640x360")`);
  });
});
