import { describe, expect, it } from 'vitest';
import { ballColor, parseColor } from '../../../runners/sim/color.js';

describe('colours', () => {
  it('parses CSS names, #rgb, #rrggbb and phrases ending in a name', () => {
    expect(parseColor('red')).toEqual([255, 0, 0]);
    expect(parseColor('#0f8')).toEqual([0, 255, 136]);
    expect(parseColor('#1E90FF')).toEqual([30, 144, 255]);
    expect(parseColor('bright orange')).toEqual([255, 165, 0]);
    expect(parseColor('Sky Blue')).toEqual([135, 206, 235]);
    expect(parseColor('mauve-ish')).toBeNull();
  });

  it('falls back to a fixed colour per object when the hint does not parse', () => {
    expect(ballColor(undefined, 0)).toEqual(ballColor('unknowable', 0));
    expect(ballColor(undefined, 0)).not.toEqual(ballColor(undefined, 1));
  });
});
