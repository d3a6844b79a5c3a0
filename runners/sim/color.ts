export type Rgb = [number, number, number];

/** The CSS colour names a prompt is likely to use for a ball (values from CSS Color Module Level 4). */
const CSS_COLORS: Readonly<Record<string, Rgb>> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  silver: [192, 192, 192],
  red: [255, 0, 0],
  darkred: [139, 0, 0],
  maroon: [128, 0, 0],
  crimson: [220, 20, 60],
  orange: [255, 165, 0],
  darkorange: [255, 140, 0],
  orangered: [255, 69, 0],
  tomato: [255, 99, 71],
  coral: [255, 127, 80],
  yellow: [255, 255, 0],
  gold: [255, 215, 0],
  greenyellow: [173, 255, 47],
  yellowgreen: [154, 205, 50],
  lime: [0, 255, 0],
  limegreen: [50, 205, 50],
  green: [0, 128, 0],
  darkgreen: [0, 100, 0],
  olive: [128, 128, 0],
  teal: [0, 128, 128],
  cyan: [0, 255, 255],
  aqua: [0, 255, 255],
  turquoise: [64, 224, 208],
  skyblue: [135, 206, 235],
  lightblue: [173, 216, 230],
  blue: [0, 0, 255],
  royalblue: [65, 105, 225],
  navy: [0, 0, 128],
  purple: [128, 0, 128],
  violet: [238, 130, 238],
  magenta: [255, 0, 255],
  fuchsia: [255, 0, 255],
  pink: [255, 192, 203],
  hotpink: [255, 105, 180],
  brown: [165, 42, 42],
  chocolate: [210, 105, 30],
  saddlebrown: [139, 69, 19],
  tan: [210, 180, 140],
  beige: [245, 245, 220],
  ivory: [255, 255, 240],
};

/** Ball colours used when a prompt gives no usable hint, one per object in turn. */
export const FALLBACK_BALL_COLORS: readonly Rgb[] = [
  [230, 90, 20],
  [30, 80, 200],
  [40, 150, 60],
  [180, 30, 120],
];

/**
 * Parses a CSS colour name, `#rgb` or `#rrggbb`; also takes the last word of a phrase such as
 * "bright red" or "fluorescent yellow-green". Returns null for anything else.
 */
export function parseColor(hint: string): Rgb | null {
  const text = hint.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
    return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
  }
  const compact = text.replace(/[\s-]+/g, '');
  const named = CSS_COLORS[compact];
  if (named !== undefined) return [...named];
  const words = text.split(/[\s-]+/).filter((word) => word.length > 0);
  const last = words[words.length - 1];
  const lastNamed = last === undefined ? undefined : CSS_COLORS[last];
  return lastNamed === undefined ? null : [...lastNamed];
}

/** The colour a ball is drawn in: its hint when it parses, else a fixed colour for its index. */
export function ballColor(hint: string | undefined, index: number): Rgb {
  const parsed = hint === undefined ? null : parseColor(hint);
  if (parsed !== null) return parsed;
  const fallback = FALLBACK_BALL_COLORS[index % FALLBACK_BALL_COLORS.length] ?? [230, 90, 20];
  return [...fallback];
}
