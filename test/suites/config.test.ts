import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defineConfig, findConfigFile, loadConfig, takeFirst } from '../../suites/config.js';
import { fixtureDir } from '../media/fixtures.js';

const fixture = fixtureDir('config');
afterAll(() => fixture.remove());

describe('the config file', () => {
  it('reads an .mjs defineConfig, splitting generator options out by id', async () => {
    const path = fixture.file('physeval.config.mjs');
    writeFileSync(path, `export default { suite: 'smoke', seeds: [1, 2], generators: ['sim:ideal', { id: 'openai:sora-2', pollIntervalS: 5, timeoutS: 600 }], maxCostUsd: 4, prices: { 'runway:*': 0.05 } };\n`);
    expect(findConfigFile(fixture.dir)).toBe(path);
    expect(await loadConfig(path)).toEqual({
      path,
      suite: 'smoke',
      seeds: [1, 2],
      generators: ['sim:ideal', 'openai:sora-2'],
      generatorOptions: { 'openai:sora-2': { pollIntervalS: 5, timeoutS: 600 } },
      maxCostUsd: 4,
      prices: { 'runway:*': 0.05 },
    });
    expect(defineConfig({ suite: 'smoke' })).toEqual({ suite: 'smoke' });
  });

  it('reads YAML and names the field of an invalid value or an unknown key', async () => {
    const good = fixture.file('good.yaml');
    writeFileSync(good, 'generators:\n  - id: azure:sora-2\n    concurrency: 2\nconcurrency: 3\n');
    expect(await loadConfig(good)).toMatchObject({ generators: ['azure:sora-2'], generatorOptions: { 'azure:sora-2': { concurrency: 2 } }, concurrency: 3 });
    const bad = fixture.file('bad.yaml');
    writeFileSync(bad, 'generators:\n  - id: openai:sora-2\n    timeoutS: -1\n');
    await expect(loadConfig(bad)).rejects.toThrow(`${bad}: generators.0`);
    const unknown = fixture.file('unknown.json');
    writeFileSync(unknown, JSON.stringify({ apiKey: 'sk-no' }));
    await expect(loadConfig(unknown)).rejects.toMatchObject({ code: 'config-invalid' });
    await expect(loadConfig(fixture.file('nope.yaml'))).rejects.toBeInstanceOf(ConfigError);
  });

  it('takes the first value set: flag, then file, then default', () => {
    expect(takeFirst<number>(undefined, 2, 3)).toBe(2);
    expect(takeFirst<number>(0, 2)).toBe(0);
    expect(takeFirst<number>(undefined, undefined)).toBeUndefined();
  });
});
