import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlReporter, writeReports, type Reporter } from '../../reports/index.js';
import { resultsFixture } from './fixture.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'physeval-reports-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('htmlReporter', () => {
  it('writes report.html into a folder it creates, and nothing else', async () => {
    const outDir = join(await tempDir(), 'nested', 'run');
    const written = await htmlReporter.write(resultsFixture(), outDir);
    expect(written).toEqual([join(outDir, 'report.html')]);
    expect(await readdir(outDir)).toEqual(['report.html']);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });
});

describe('writeReports', () => {
  it('records a reporter that throws and still runs the others', async () => {
    const outDir = await tempDir();
    const broken: Reporter = {
      id: 'broken',
      write: () => Promise.reject(new Error('disk on fire')),
    };
    const outcome = await writeReports(resultsFixture(), outDir, [broken, htmlReporter]);
    expect(outcome.errors).toEqual({ broken: 'disk on fire' });
    expect(outcome.written).toEqual([join(outDir, 'report.html')]);
  });

  it('uses the HTML reporter by default', async () => {
    const outDir = await tempDir();
    expect(await writeReports(resultsFixture(), outDir)).toEqual({ written: [join(outDir, 'report.html')], errors: {} });
  });
});
