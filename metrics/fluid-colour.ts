export type Rgb = [number, number, number];

/** CSS colour names a liquid is likely to be described by (values from CSS Color Module Level 4). */
const LIQUID_COLOURS: Readonly<Record<string, Rgb>> = {
  white: [255, 255, 255],
  black: [0, 0, 0],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  silver: [192, 192, 192],
  lightblue: [173, 216, 230],
  skyblue: [135, 206, 235],
  lightskyblue: [135, 206, 250],
  powderblue: [176, 224, 230],
  blue: [0, 0, 255],
  cyan: [0, 255, 255],
  aqua: [0, 255, 255],
  turquoise: [64, 224, 208],
  teal: [0, 128, 128],
  green: [0, 128, 0],
  lime: [0, 255, 0],
  yellow: [255, 255, 0],
  gold: [255, 215, 0],
  orange: [255, 165, 0],
  darkorange: [255, 140, 0],
  red: [255, 0, 0],
  darkred: [139, 0, 0],
  crimson: [220, 20, 60],
  pink: [255, 192, 203],
  purple: [128, 0, 128],
  violet: [238, 130, 238],
  brown: [165, 42, 42],
  chocolate: [210, 105, 30],
  saddlebrown: [139, 69, 19],
  tan: [210, 180, 140],
  beige: [245, 245, 220],
  ivory: [255, 255, 240],
};

/**
 * The colour of a prompt's `colorHint`: a CSS colour name, `#rgb` or `#rrggbb`, or a phrase whose
 * last word is a name ("pale orange"). Null for anything else: the hint helps, it is never required.
 */
export function liquidColourOf(hint: string | undefined): Rgb | null {
  if (hint === undefined) return null;
  const text = hint.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
    return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
  }
  const whole = LIQUID_COLOURS[text.replace(/[\s-]+/g, '')];
  if (whole !== undefined) return [...whole];
  const words = text.split(/[\s-]+/).filter((word) => word.length > 0);
  const last = LIQUID_COLOURS[words[words.length - 1] ?? ''];
  return last === undefined ? null : [...last];
}
