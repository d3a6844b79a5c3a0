import { existsSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { BALL_CATEGORIES, CATEGORIES, defaultCatalogDir, getPrompt, loadCatalog, type Prompt } from '../../prompts/index.js';

const catalog = loadCatalog();

function tagged(tag: string, prompts: readonly Prompt[] = catalog): Prompt[] {
  return prompts.filter((prompt) => prompt.tags.includes(tag));
}

const dropsAndBounces = catalog.filter(
  (prompt) => ['drop', 'bounce', 'impact-sound'].includes(prompt.category) && prompt.setup.heightM !== undefined,
);

describe('the shipped catalog', () => {
  it('is found beside the package and loads at least 24 prompts with unique ids', () => {
    expect(existsSync(defaultCatalogDir())).toBe(true);
    expect(defaultCatalogDir().replaceAll('\\', '/')).toMatch(/\/prompts\/catalog$/);
    expect(catalog.length).toBeGreaterThanOrEqual(24);
    expect(new Set(catalog.map((prompt) => prompt.id)).size).toBe(catalog.length);
  });

  it('covers every category', () => {
    const seen = new Set(catalog.map((prompt) => prompt.category));
    expect([...CATEGORIES].filter((category) => !seen.has(category))).toEqual([]);
  });

  it.each(['basketball', 'tennis-ball', 'ping-pong', 'bowling-ball', 'rubber-ball'])('drops or bounces a %s', (ball) => {
    expect(tagged(ball, dropsAndBounces).length).toBeGreaterThanOrEqual(1);
  });

  it('has at least three thrown projectiles, among them a tennis lob, a basketball shot and a ball thrown across a room', () => {
    const projectiles = catalog.filter((prompt) => prompt.category === 'projectile');
    expect(projectiles.length).toBeGreaterThanOrEqual(3);
    expect(tagged('tennis-ball', projectiles).length).toBeGreaterThanOrEqual(1);
    expect(tagged('basketball', projectiles).length).toBeGreaterThanOrEqual(1);
    expect(projectiles.some((prompt) => /thrown across a (living )?room/.test(prompt.text))).toBe(true);
    for (const prompt of projectiles) expect(prompt.setup.speedMS, prompt.id).toBeGreaterThan(0);
  });

  it('has at least two two-ball collisions', () => {
    const collisions = catalog.filter((prompt) => prompt.category === 'collision');
    expect(collisions.length).toBeGreaterThanOrEqual(2);
    for (const prompt of collisions) expect(prompt.expect.objects.length, prompt.id).toBe(2);
    expect(tagged('head-on', collisions).length).toBeGreaterThanOrEqual(1);
  });

  it('rolls balls off two tables of different heights and speeds', () => {
    const rolling = catalog.filter((prompt) => prompt.category === 'rolling');
    expect(rolling.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rolling.map((prompt) => prompt.setup.tableHeightM)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(rolling.map((prompt) => prompt.setup.speedMS)).size).toBeGreaterThanOrEqual(2);
  });

  it('has impact-sound prompts that ask for audible impacts', () => {
    const sounds = catalog.filter((prompt) => prompt.category === 'impact-sound');
    expect(sounds.length).toBeGreaterThanOrEqual(2);
    for (const prompt of sounds) expect(prompt.expect.audibleImpacts, prompt.id).toBe(true);
  });

  it('covers pouring, a tap, a splash and a spill', () => {
    const fluids = catalog.filter((prompt) => prompt.category === 'fluid');
    expect(tagged('pour', fluids).length).toBeGreaterThanOrEqual(1);
    expect(tagged('tap', fluids).length).toBeGreaterThanOrEqual(1);
    expect(tagged('spill', fluids).length).toBeGreaterThanOrEqual(1);
    const splashes = catalog.filter((prompt) => prompt.category === 'splash');
    expect(splashes.length).toBeGreaterThanOrEqual(1);
    for (const prompt of [...fluids, ...splashes]) expect(prompt.expect.fluid, prompt.id).toBeDefined();
  });

  it('covers cloth on a chair, a sheet on a table, a flag in wind and a pulled tablecloth', () => {
    const cloth = catalog.filter((prompt) => prompt.category === 'cloth');
    expect(tagged('chair', cloth).length).toBeGreaterThanOrEqual(1);
    expect(tagged('table', tagged('drop', cloth)).length).toBeGreaterThanOrEqual(1);
    expect(tagged('tablecloth-pull', cloth).length).toBeGreaterThanOrEqual(1);
    const flags = tagged('flag', cloth);
    expect(flags.length).toBeGreaterThanOrEqual(1);
    expect(flags.every((prompt) => (prompt.expect.cloth?.windMS ?? 0) > 0)).toBe(true);
    for (const prompt of cloth) expect(prompt.expect.cloth, prompt.id).toBeDefined();
  });

  it('keeps every clip between 2 and 8 s and every ball scene with at least one real object', () => {
    for (const prompt of catalog) {
      expect(prompt.durationS, prompt.id).toBeGreaterThanOrEqual(2);
      expect(prompt.durationS, prompt.id).toBeLessThanOrEqual(8);
      if (BALL_CATEGORIES.includes(prompt.category)) expect(prompt.expect.objects.length, prompt.id).toBeGreaterThan(0);
    }
  });

  it('finds a prompt by id', () => {
    expect(getPrompt('tennis-ball-bounce-concrete').setup.heightM).toBe(2.54);
  });

  it('returns a fresh copy each time, so a caller cannot change the cache', () => {
    const first = loadCatalog();
    const changed = first[0];
    if (changed === undefined) throw new Error('empty catalog');
    changed.durationS = 999;
    expect(loadCatalog()[0]?.durationS).not.toBe(999);
  });
});
