import { describe, expect, it } from 'vitest';
import { renderJunitXml } from '../../reports/junit.js';
import { HOSTILE, hostileFixture } from './fixture.js';

const xml = renderJunitXml(hostileFixture());

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function unescapeXml(text: string): string {
  return text.replace(/&(#\d+|lt|gt|quot|apos|amp);/g, (_, entity: string) =>
    entity.startsWith('#') ? String.fromCharCode(Number(entity.slice(1))) : { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[entity]!,
  );
}

describe('renderJunitXml', () => {
  it('has one testcase per item and counts that match them', () => {
    const root = /<testsuites [^>]*>/.exec(xml)![0];
    expect([attribute(root, 'tests'), attribute(root, 'failures'), attribute(root, 'errors'), attribute(root, 'skipped')]).toEqual(['7', '2', '1', '1']);
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    const suites = [...xml.matchAll(/<testsuite [^>]*>/g)].map((match) => match[0]);
    expect(suites.map((tag) => [attribute(tag, 'name'), attribute(tag, 'tests'), attribute(tag, 'failures'), attribute(tag, 'errors'), attribute(tag, 'skipped')])).toEqual([
      ['sim:ideal', '4', '1', '0', '0'],
      ['sim:flawed', '3', '1', '1', '1'],
    ]);
  });

  it('names each case by generator (classname) and prompt id + seed, with the failure sentences', () => {
    expect(xml).toContain('<testcase classname="sim:flawed" name="drop-ball seed 1" time="0.400">');
    expect(xml).toContain(
      '<failure message="gravity-off at 0.250 s: g is 4.90 m/s², expected 9.81 &lt;script&gt;alert(1)&lt;/script&gt;" type="gravity-off">',
    );
    expect(xml).toContain('<error message="not analysed (failed): provider said &lt;/script&gt;');
    expect(xml).toMatch(/<testcase classname="sim:flawed" name="refused-prompt seed 1" time="0.400">\s*<skipped message="not analysed \(refused\): policy: /);
  });

  it('stays well formed with hostile text, which reads back unchanged', () => {
    // Outside tags, only entity references may follow '&' and no '<' or '>' may appear.
    const text = xml.replace(/^<\?xml[^>]*\?>/, '').replace(/<\/?[a-z]+(\s+[a-z]+="[^"<>]*")*\s*\/?>/g, '');
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!(#\d+|lt|gt|quot|apos|amp);)/);
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<script');
    const hostileCase = [...xml.matchAll(/<testcase [^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes('pwned'))!;
    expect(unescapeXml(attribute(hostileCase, 'name')!)).toBe(`${HOSTILE} seed 1`);
  });
});
