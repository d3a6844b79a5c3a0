import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesGenerator, FilesGeneratorError } from '../../runners/files.js';
import type { ResultsFile } from '../../suites/results.js';
import { runCli } from '../support/cli.js';
import { simulateClipOnce } from '../support/sim-clip-cache.js';
import { fixtureDir } from '../media/fixtures.js';
import { catalogPrompt } from './sora-fixture.js';

const fixture = fixtureDir('files');
const dir = fixture.file('videos');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await simulateClipOnce(catalogPrompt('basketball-bounce-hardwood'), fixture.file('made/bounce.mp4'), { width: 320, height: 180, durationS: 2 });
  await simulateClipOnce(catalogPrompt('tennis-ball-lob'), fixture.file('made/lob.mp4'), { width: 320, height: 180, durationS: 2 });
  copyFileSync(fixture.file('made/bounce.mp4'), `${dir}/my-sora-export.mp4`);
  copyFileSync(fixture.file('made/lob.mp4'), `${dir}/tennis-ball-lob-s1.mp4`);
  writeFileSync(`${dir}/manifest.json`, JSON.stringify({ 'basketball-bounce-hardwood': 'my-sora-export.mp4' }));
});

afterAll(() => fixture.remove());

describe('files:<dir>', () => {
  it('maps prompts by manifest, then by <promptId>-s<seed> name, and says which prompts have no file', async () => {
    const generator = createFilesGenerator(dir);
    expect(generator.plan(catalogPrompt('basketball-bounce-hardwood'))).toMatchObject({ supported: true, costUsd: 0 });
    expect(generator.plan(catalogPrompt('rubber-balls-thrown-midair'))).toEqual({
      supported: false,
      reason: `${dir} has no video for 'rubber-balls-thrown-midair' (neither in manifest.json nor named rubber-balls-thrown-midair.mp4 or rubber-balls-thrown-midair-s<seed>.mp4)`,
    });
    const outPath = fixture.file('out/lob.mp4');
    expect(await generator.generate({ prompt: catalogPrompt('tennis-ball-lob'), seed: 1, outPath })).toEqual({ status: 'ok', videoPath: outPath, costUsd: 0 });
    expect(readFileSync(outPath).equals(readFileSync(fixture.file('made/lob.mp4')))).toBe(true);
    const otherSeed = await generator.generate({ prompt: catalogPrompt('tennis-ball-lob'), seed: 2, outPath: fixture.file('out/lob2.mp4') });
    expect(otherSeed).toEqual({ status: 'failed', message: `${dir} has no video for 'tennis-ball-lob' with seed 2`, costUsd: 0 });
  });

  it('rejects a manifest that is not a map of prompt ids to files, naming the file', () => {
    const bad = fixture.file('bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(`${bad}/manifest.json`, JSON.stringify({ 'tennis-ball-lob': 3 }));
    expect(() => createFilesGenerator(bad)).toThrow(FilesGeneratorError);
    expect(() => createFilesGenerator(bad)).toThrow(`${bad}/manifest.json: expected { "<promptId>": "file.mp4" }`);
  });

  it('runs through the CLI: files analysed, a missing one unsupported', async () => {
    const out = fixture.file('run');
    const result = await runCli(['run', '--generators', `files:${dir}`, '--suite', 'smoke', '--out', out, '--no-report']);
    expect(result.code).toBe(0);
    const results = JSON.parse(readFileSync(`${out}/results.json`, 'utf8')) as ResultsFile;
    expect(results.items.map((item) => [item.promptId, item.status])).toEqual([
      ['basketball-bounce-hardwood', 'ok'],
      ['rubber-balls-thrown-midair', 'unsupported'],
      ['tennis-ball-lob', 'ok'],
    ]);
    expect(results.items[0]?.video).toMatchObject({ width: 320, height: 180, hasAudio: true });
  });
});
