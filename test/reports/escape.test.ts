import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../reports/escape.js';

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
