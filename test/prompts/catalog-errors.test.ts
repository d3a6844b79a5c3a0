import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { CatalogError, closestNames, getPrompt, loadCatalog, loadPromptFile } from '../../prompts/index.js';

function validPrompt(id: string): Record<string, unknown> {
  return {
    id,
    text: 'A static side-view camera films a tennis ball dropped from 1 m onto concrete.',
    category: 'bounce',
    durationS: 2,
    setup: { heightM: 1 },
    expect: { objects: [{ name: 'tennis ball', diameterM: 0.067 }], restitution: { min: 0.73, max: 0.76 }, contacts: 2 },
  };
}

function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'physeval-catalog-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function catalogError(run: () => unknown): CatalogError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError, nothing was thrown');
}

describe('invalid catalog files', () => {
  it('names the file, the field path and the expected type', () => {
    const broken = validPrompt('broken-ball');
    broken.expect = { objects: [{ name: 'tennis ball', diameterM: '6.7 cm' }] };
    const dir = tempFolder({ 'balls.json': JSON.stringify({ prompts: [validPrompt('fine-ball'), broken] }) });
    const error = catalogError(() => loadCatalog(dir));
    expect(error.code).toBe('catalog-invalid');
    expect(error.message).toContain(`${join(dir, 'balls.json')}: prompts[1].expect.objects[0].diameterM: expected number, received string`);
    expect(error.message).toContain("(prompt 'broken-ball')");
  });

  it('reports every problem of a file, one per line', () => {
    const broken = { ...validPrompt('Bad Id'), category: 'teleportation', restitution: 0.5 };
    const file = join(tempFolder({ 'mine.json': JSON.stringify({ prompts: [broken] }) }), 'mine.json');
    const lines = catalogError(() => loadPromptFile(file)).message.split('\n');
    expect(lines.length).toBe(3);
    expect(lines.every((line) => line.startsWith(`${file}: prompts[0]`))).toBe(true);
    expect(lines.some((line) => line.includes('prompts[0].id:'))).toBe(true);
    expect(lines.some((line) => line.includes('prompts[0].category:'))).toBe(true);
    expect(lines.some((line) => line.includes('restitution'))).toBe(true);
  });

  it('names the file of a JSON syntax error', () => {
    const dir = tempFolder({ 'a.json': JSON.stringify({ prompts: [validPrompt('a-ball')] }), 'b.json': '{ "prompts": [ }' });
    const error = catalogError(() => loadCatalog(dir));
    expect(error.code).toBe('catalog-invalid');
    expect(error.message).toMatch(new RegExp(`^${join(dir, 'b.json').replace(/[.\\/]/g, '\\$&')}: invalid JSON: `));
  });

  it('rejects an id used in two files, naming both', () => {
    const dir = tempFolder({
      'a.json': JSON.stringify({ prompts: [validPrompt('same-ball')] }),
      'b.json': JSON.stringify({ prompts: [validPrompt('other-ball'), validPrompt('same-ball')] }),
    });
    const error = catalogError(() => loadCatalog(dir));
    expect(error.code).toBe('catalog-duplicate-id');
    expect(error.message).toBe(`prompt id 'same-ball' appears twice: ${join(dir, 'a.json')}: prompts[0] and ${join(dir, 'b.json')}: prompts[1]`);
  });

  it('rejects a missing or empty folder and an empty prompt list', () => {
    const empty = tempFolder({});
    expect(catalogError(() => loadCatalog(empty)).message).toBe(`${empty}: no .json catalog files in the folder`);
    expect(catalogError(() => loadCatalog(join(empty, 'nowhere'))).code).toBe('catalog-invalid');
    const file = join(tempFolder({ 'none.json': '{ "prompts": [] }' }), 'none.json');
    expect(catalogError(() => loadPromptFile(file)).message).toMatch(/none\.json: prompts: /);
  });
});

describe('a user catalog file', () => {
  it('loads with defaults applied and its start image resolved beside the file', () => {
    const dir = tempFolder({});
    mkdirSync(join(dir, 'images'));
    const prompt = { ...validPrompt('my-ball'), startImage: 'images/first.png' };
    writeFileSync(join(dir, 'mine.json'), JSON.stringify({ prompts: [prompt] }));
    const [loaded] = loadPromptFile(join(dir, 'mine.json'));
    expect(loaded?.startImage).toBe(join(dir, 'images', 'first.png'));
    expect(loaded?.aspectRatio).toBe('16:9');
    expect(loaded?.expect.gravityMS2).toBe(9.81);
    expect(loaded?.expect.audibleImpacts).toBe(false);
  });
});

describe('unknown prompt ids', () => {
  it('suggest the closest id', () => {
    const error = catalogError(() => getPrompt('basketbal-bounce-hardwod'));
    expect(error.code).toBe('prompt-not-found');
    expect(error.suggestions[0]).toBe('basketball-bounce-hardwood');
    expect(error.message).toContain("did you mean 'basketball-bounce-hardwood'");
  });

  it('rank close ids by edit distance and fall back to ids that contain the query', () => {
    expect(closestNames('tenis-ball-lob', ['tennis-ball-lob', 'tennis-ball-bounce-concrete', 'flag-in-wind'])).toEqual(['tennis-ball-lob']);
    expect(closestNames('ball-a', ['ball-c', 'ball-ab', 'ball-b'])).toEqual(['ball-ab', 'ball-b', 'ball-c']);
    expect(closestNames('flag', ['flag-in-wind', 'tennis-ball-lob'])).toEqual(['flag-in-wind']);
    expect(closestNames('zzzzzz', ['flag-in-wind'])).toEqual([]);
    expect(catalogError(() => getPrompt('zzzzzz', [])).message).toBe("unknown prompt id 'zzzzzz' (0 prompts in the catalog)");
  });
});
