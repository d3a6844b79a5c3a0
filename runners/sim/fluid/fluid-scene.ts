import type { Prompt } from '../../../prompts/schema.js';
import { ballColor, parseColor, type Rgb } from '../color.js';
import { SimError } from '../errors.js';
import { fallTimeS, outletSpeedFor } from './stream-law.js';

/** Defaults of fluid scenes when a prompt leaves a value out, in one place. */
export const FLUID_SCENE_DEFAULTS = {
  flowLS: 0.06,
  containerDiameterM: 0.08,
  /** Drop from the outlet to the container's inner bottom (pour, tap), m. */
  pourDropM: 0.2,
  /** The stream's outlet: a jug's lip and a tap's aerator, m (v₀ = Q over its area). */
  jugLipWidthM: 0.012,
  tapOutletWidthM: 0.014,
  /** The jug starts pouring at this time (the tap already runs at the first frame), s. */
  pourStartS: 0.3,
  /** A container holds this many times the volume poured into it. */
  headroom: 1.6,
  /** Inner bottom above the counter (the glass base), m. */
  containerBaseM: 0.008,
  /** Splash: an aquarium (box) when the prompt gives no container diameter: inner width, depth, height, water depth, m. */
  tank: { widthM: 0.4, depthM: 0.25, heightM: 0.3, waterM: 0.22 },
  /** Splash into a glass: inner height and water depth in glass diameters. */
  splashGlass: { heightDiameters: 2, waterDiameters: 1.5 },
  splashDropM: 0.5,
  /** Spill: puddle thickness once spread (milk on wood), m, and the view's elevation above the table, deg. */
  spillRestThicknessM: 0.004,
  spillElevationDeg: 35,
  spillVolumeL: 0.2,
  ballDensityKgM3: 400,
} as const;

/** Density of water, kg/m³: a ball lighter than this floats. */
export const WATER_DENSITY_KG_M3 = 1000;

export type FluidKind = 'pour' | 'tap' | 'splash' | 'spill';

/** A transparent container standing on the counter, centred on x = 0, m. */
export interface FluidContainer {
  shape: 'cylinder' | 'box';
  innerWidthM: number;
  /** Horizontal inner cross-section, m². */
  areaM2: number;
  innerHeightM: number;
  /** Inner bottom above the counter, m. */
  baseM: number;
}

/** A stream from an outlet straight down into the container. */
export interface FluidStream {
  xM: number;
  /** Outlet height above the counter, m. */
  outletYM: number;
  outletWidthM: number;
  outletSpeedMS: number;
  flowM3S: number;
  /** The outlet delivers over [startS, endS). */
  startS: number;
  endS: number;
}

/** A ball dropped into the container (splash). */
export interface FluidBall {
  name: string;
  diameterM: number;
  massKg: number;
  colorRgb: Rgb;
  /** Its bottom above the still water surface at release, m. */
  dropHeightM: number;
}

/** A glass tipped over on a table: its liquid floods out into a puddle. */
export interface FluidSpill {
  volumeM3: number;
  restThicknessM: number;
  elevationDeg: number;
  glassDiameterM: number;
}

/** What a fluid prompt describes, in world metres: x to the right, y up from the counter. */
export interface FluidScene {
  kind: FluidKind;
  liquid: string;
  colorRgb: Rgb;
  opacity: number;
  gravityMS2: number;
  container: FluidContainer | null;
  /** Liquid in the container at the first frame (the splash tank's water), m³. */
  initialVolumeM3: number;
  stream: FluidStream | null;
  ball: FluidBall | null;
  spill: FluidSpill | null;
}

/** Colour of a liquid the prompt names without a usable colour hint. */
const LIQUID_COLORS: ReadonlyArray<[RegExp, Rgb]> = [
  [/milk|cream/, [250, 250, 245]],
  [/orange|juice/, [255, 165, 0]],
  [/coffee|cola|tea/, [110, 60, 25]],
  [/wine/, [120, 10, 40]],
];

/** How much of what lies behind the liquid it hides: clear water tints, juice and milk hide most. */
const LIQUID_OPACITY: ReadonlyArray<[RegExp, number]> = [
  [/milk|cream|paint/, 0.92],
  [/juice|coffee|cola|wine/, 0.8],
];
const CLEAR_LIQUID_OPACITY = 0.55;
/** Clear water with no colour hint: light blue (CSS lightblue). */
const WATER_RGB: Rgb = [173, 216, 230];

/** Fluid and splash prompts that say what their liquid is (expect.fluid). */
export function isFluidPrompt(prompt: Prompt): boolean {
  return (prompt.category === 'fluid' || prompt.category === 'splash') && prompt.expect.fluid !== undefined;
}

function fluidKind(prompt: Prompt): FluidKind {
  if (prompt.category === 'splash') return 'splash';
  if (prompt.tags.includes('spill')) return 'spill';
  if (prompt.tags.includes('tap')) return 'tap';
  return 'pour';
}

function liquidLook(liquid: string, colorHint: string | undefined): { colorRgb: Rgb; opacity: number } {
  const name = liquid.toLowerCase();
  const colorRgb = (colorHint === undefined ? null : parseColor(colorHint)) ?? LIQUID_COLORS.find(([pattern]) => pattern.test(name))?.[1] ?? WATER_RGB;
  const opacity = LIQUID_OPACITY.find(([pattern]) => pattern.test(name))?.[1] ?? CLEAR_LIQUID_OPACITY;
  return { colorRgb: [...colorRgb], opacity };
}

function cylinder(diameterM: number, innerHeightM: number): FluidContainer {
  return { shape: 'cylinder', innerWidthM: diameterM, areaM2: (Math.PI * diameterM * diameterM) / 4, innerHeightM, baseM: FLUID_SCENE_DEFAULTS.containerBaseM };
}

/** The scene of a fluid or splash prompt: a pour, a tap, a splash or a spill, with the prompt's numbers or the defaults above. */
export function buildFluidScene(prompt: Prompt): FluidScene {
  const fluid = prompt.expect.fluid;
  if (!isFluidPrompt(prompt) || fluid === undefined) {
    throw new SimError('unsupported-category', prompt.id, `the fluid simulator needs a fluid or splash prompt with expect.fluid, got a ${prompt.category} prompt`);
  }
  const d = FLUID_SCENE_DEFAULTS;
  const gravityMS2 = prompt.expect.gravityMS2;
  const kind = fluidKind(prompt);
  const base = { kind, liquid: fluid.liquid, ...liquidLook(fluid.liquid, fluid.colorHint), gravityMS2 };
  const none = { container: null, initialVolumeM3: 0, stream: null, ball: null, spill: null };

  if (kind === 'spill') {
    const glass = prompt.expect.objects[0];
    const spill: FluidSpill = {
      volumeM3: (fluid.volumeL ?? d.spillVolumeL) / 1000,
      restThicknessM: d.spillRestThicknessM,
      elevationDeg: d.spillElevationDeg,
      glassDiameterM: glass?.diameterM ?? fluid.containerDiameterM ?? d.containerDiameterM,
    };
    return { ...base, ...none, spill };
  }

  if (kind === 'splash') {
    const object = prompt.expect.objects[0];
    const diameterM = object?.diameterM ?? 0.05;
    const ball: FluidBall = {
      name: object?.name ?? 'ball',
      diameterM,
      massKg: object?.massKg ?? (d.ballDensityKgM3 * Math.PI * diameterM ** 3) / 6,
      colorRgb: ballColor(object?.colorHint, 0),
      dropHeightM: prompt.setup.heightM ?? d.splashDropM,
    };
    const glassM = fluid.containerDiameterM;
    const container: FluidContainer =
      glassM === undefined
        ? { shape: 'box', innerWidthM: d.tank.widthM, areaM2: d.tank.widthM * d.tank.depthM, innerHeightM: d.tank.heightM, baseM: d.containerBaseM }
        : cylinder(glassM, d.splashGlass.heightDiameters * glassM);
    const waterM = glassM === undefined ? d.tank.waterM : d.splashGlass.waterDiameters * glassM;
    return { ...base, ...none, container, initialVolumeM3: container.areaM2 * waterM, ball };
  }

  // Pour and tap: the stream fills an empty container with volumeL at flowLS.
  const flowM3S = (fluid.flowLS ?? d.flowLS) / 1000;
  const volumeM3 = fluid.volumeL === undefined ? flowM3S * 0.6 * prompt.durationS : fluid.volumeL / 1000;
  const diameterM = fluid.containerDiameterM ?? d.containerDiameterM;
  const areaM2 = (Math.PI * diameterM * diameterM) / 4;
  const container = cylinder(diameterM, (d.headroom * volumeM3) / areaM2);
  const outletWidthM = kind === 'tap' ? d.tapOutletWidthM : d.jugLipWidthM;
  const outletSpeedMS = outletSpeedFor(flowM3S, outletWidthM);
  // The outlet stands heightM above the inner bottom, and at least 2 cm above the rim.
  const rimM = container.baseM + container.innerHeightM;
  const outletYM = Math.max(container.baseM + (prompt.setup.heightM ?? d.pourDropM), rimM + 0.02);
  // A tap already runs at the first frame: its first liquid reaches the empty bottom then.
  const startS = kind === 'tap' ? -fallTimeS(outletSpeedMS, gravityMS2, outletYM - container.baseM) : d.pourStartS;
  const stream: FluidStream = { xM: -diameterM / 4, outletYM, outletWidthM, outletSpeedMS, flowM3S, startS, endS: startS + volumeM3 / flowM3S };
  return { ...base, ...none, container, stream };
}
