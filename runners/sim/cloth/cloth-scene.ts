import type { Prompt } from '../../../prompts/schema.js';
import type { Rgb } from '../color.js';
import { SimError } from '../errors.js';

/** Defaults of cloth scenes when a prompt leaves a value out, in one place. */
export const CLOTH_SCENE_DEFAULTS = {
  /** Drop distance of the lowest point above the surface below, m. */
  dropHeightM: 0.6,
  /** A chair seat: height, width and depth, m. */
  seat: { heightM: 0.45, widthM: 0.45, depthM: 0.45 },
  /** A table top when the prompt gives only its height, m. */
  table: { heightM: 0.75, widthM: 0.9, depthM: 0.9 },
  /** The flag's top edge above the floor, m. */
  flagTopM: 1.5,
  pullSpeedMS: 4,
  /** The pulled edge is dragged for this long, then let go, s. */
  pullDurationS: 0.4,
  /** Grid spacing: the longer side of the cloth is cut into this many cells. */
  cellsAlongLongSide: 16,
} as const;

/** Mass per area of the fabric, kg/m² (typical values: towelling cotton is heavy, silk light). */
const AREAL_DENSITY_KG_M2: Record<string, number> = { cotton: 0.25, silk: 0.05, polyester: 0.12, wool: 0.3 };

/**
 * Air drag along the cloth's normal, as a linear coefficient per unit area, kg/(m²·s): small for
 * heavy fabric so a dropped towel falls at g until it lands, large for silk so a scarf floats.
 */
const NORMAL_DRAG_KG_M2S: Record<string, number> = { cotton: 0.02, silk: 0.25, polyester: 0.05, wool: 0.02 };

/** An axis-aligned box the cloth rests on (chair seat, table top), x and z centred on 0, m. */
export interface ClothBox {
  topM: number;
  halfWidthM: number;
  halfDepthM: number;
  kind: 'seat' | 'table';
}

/** What a cloth prompt describes, in world metres: x to the right, y up, z away from the camera. */
export interface ClothScene {
  widthM: number;
  /** The cloth's other side: along z when it lies flat, along −y for a hanging flag. */
  lengthM: number;
  /** Grid nodes along the width and the length. */
  nodesU: number;
  nodesV: number;
  massKg: number;
  normalDragKgS: number;
  /** Flat at this height (drop, pull) or hanging from the pole with its top edge here (flag). */
  startHeightM: number;
  box: ClothBox | null;
  /** The flag: the u = 0 edge is pinned to the pole at x = −width/2 and the wind blows along +x. */
  flag: { windMS: number } | null;
  /** The tablecloth: the u = 0 edge is dragged along −x, then let go. */
  pull: { speedMS: number; durationS: number } | null;
  colorRgb: Rgb;
}

/** The cloth colour the prompt's text names (white when it names none we know). */
function clothColor(text: string): Rgb {
  const lower = text.toLowerCase();
  if (/\bred\b/.test(lower)) return [196, 36, 40];
  if (/\bblue\b/.test(lower)) return [40, 70, 190];
  if (/\bgreen\b/.test(lower)) return [40, 150, 60];
  if (/\byellow\b/.test(lower)) return [225, 195, 40];
  return [236, 234, 228];
}

export function isClothPrompt(prompt: Prompt): boolean {
  return prompt.category === 'cloth';
}

/** The scene of a cloth prompt: flag when it has wind, pull when the tags say so, else a drop. */
export function buildClothScene(prompt: Prompt): ClothScene {
  const cloth = prompt.expect.cloth;
  if (!isClothPrompt(prompt) || cloth === undefined) {
    throw new SimError('unsupported-category', prompt.id, `the cloth simulator needs a cloth prompt with expect.cloth, got a ${prompt.category} prompt`);
  }
  const d = CLOTH_SCENE_DEFAULTS;
  const cellM = Math.max(cloth.widthM, cloth.heightM) / d.cellsAlongLongSide;
  const areaM2 = cloth.widthM * cloth.heightM;
  const base = {
    widthM: cloth.widthM,
    lengthM: cloth.heightM,
    nodesU: Math.max(3, Math.round(cloth.widthM / cellM) + 1),
    nodesV: Math.max(3, Math.round(cloth.heightM / cellM) + 1),
    massKg: (AREAL_DENSITY_KG_M2[cloth.material] ?? 0.2) * areaM2,
    normalDragKgS: (NORMAL_DRAG_KG_M2S[cloth.material] ?? 0.05) * areaM2,
    colorRgb: clothColor(prompt.text),
  };
  if (cloth.windMS !== undefined && cloth.windMS > 0) {
    return { ...base, startHeightM: d.flagTopM, box: null, flag: { windMS: cloth.windMS }, pull: null };
  }
  const tableHeightM = prompt.setup.tableHeightM;
  const onTable = tableHeightM !== undefined || prompt.tags.includes('table');
  const box: ClothBox = onTable
    ? { topM: tableHeightM ?? d.table.heightM, halfWidthM: d.table.widthM / 2, halfDepthM: d.table.depthM / 2, kind: 'table' }
    : prompt.tags.includes('chair')
      ? { topM: d.seat.heightM, halfWidthM: d.seat.widthM / 2, halfDepthM: d.seat.depthM / 2, kind: 'seat' }
      : { topM: 0, halfWidthM: 0, halfDepthM: 0, kind: 'seat' };
  const realBox = box.topM > 0 ? box : null;
  const surfaceM = realBox?.topM ?? 0;
  if (prompt.tags.includes('tablecloth-pull')) {
    // The cloth lies on the table, its pulled edge level with the table's left side.
    return {
      ...base,
      startHeightM: surfaceM + 0.002,
      box: realBox === null ? null : { ...realBox, halfWidthM: Math.max(realBox.halfWidthM, cloth.widthM / 2), halfDepthM: Math.max(realBox.halfDepthM, cloth.heightM / 2) },
      flag: null,
      pull: { speedMS: prompt.setup.speedMS ?? d.pullSpeedMS, durationS: d.pullDurationS },
    };
  }
  return { ...base, startHeightM: surfaceM + (prompt.setup.heightM ?? d.dropHeightM), box: realBox, flag: null, pull: null };
}
