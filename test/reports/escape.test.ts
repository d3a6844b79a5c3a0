import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml, jsonForScript } from '../../reports/escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves other text unchanged', () => {
    expect(escapeHtml('g = 9.81 m/s² · τ')).toBe('g = 9.81 m/s² · τ');
  });
});

describe('jsonForScript', () => {
  const hostile = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'a & b', d: 'line\u2028sep\u2029end', n: [1.5, null] };

  it('contains none of < > & U+2028 U+2029', () => {
    const json = jsonForScript(hostile);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
  });

  it('parses back to the same value', () => {
    expect(JSON.parse(jsonForScript(hostile))).toEqual(hostile);
  });
});

describe('escapeXml', () => {
  it('escapes markup, quotes, ]]> and line breaks, and replaces characters XML cannot carry', () => {
    expect(escapeXml(`<a b="c" d='e'>]]> & x</a>`)).toBe('&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;]]&gt; &amp; x&lt;/a&gt;');
    expect(escapeXml('line\nbreak\ttab')).toBe('line&#10;break&#9;tab');
    expect(escapeXml('bell\u0007 nul\u0000 lone\ud800 pair😀')).toBe('bell\ufffd nul\ufffd lone\ufffd pair😀');
  });
});

describe('escapeMarkdown', () => {
  it('keeps a table cell one cell on one line, with no formatting and no raw HTML', () => {
    expect(escapeMarkdown('a | b')).toBe('a \\| b');
    expect(escapeMarkdown('`code` *b* _i_ [l](u) ~s~ \\')).toBe('\\`code\\` \\*b\\* \\_i\\_ \\[l\\](u) \\~s\\~ \\\\');
    expect(escapeMarkdown('<script>x</script> & y')).toBe('&lt;script&gt;x&lt;/script&gt; &amp; y');
    expect(escapeMarkdown('one\ntwo\r\nthree')).toBe('one two three');
  });
});
