import type { AudioTrack } from '../../../media/types.js';
import type { Prompt } from '../../../prompts/schema.js';
import { AUDIO_DEFAULTS } from '../audio.js';
import { renderBackground } from '../background.js';
import type { Camera } from '../camera.js';
import { toPixels } from '../camera.js';
import { SimError } from '../errors.js';
import { resolveSettings, SIM_DEFAULTS, type ClipSettings, type SimOptions } from '../options.js';
import { SensorNoise } from '../sensor-noise.js';
import type { PreparedClip } from '../simulate-clip.js';
import { DEFECTS, type GroundTruth, type PlantedDefect } from '../truth.js';
import { Watermark } from '../watermark.js';
import { synthesizeFluidAudio } from './fluid-audio.js';
import { chooseFluidCamera, containerPx, CONTAINER_LOOK, type ViewBox } from './fluid-camera.js';
import { FLUID_DEFECT_CODES, fluidDefectTiming, fluidDefectValueProblem, fluidPhysicsDefect, isFluidDefect } from './fluid-defects.js';
import { NO_FLUID_DEFECT, type FluidPhysicsDefect } from './fluid-frames.js';
import { simulateFluid, type FluidSimulation } from './fluid-physics.js';
import { streamProps } from './fluid-props.js';
import { buildFluidScene, type FluidScene } from './fluid-scene.js';
import { fluidTruth } from './fluid-truth.js';
import { drawContainer, drawLiquidColumn, drawPolygon, drawStream } from './draw-fluid.js';

/** What the camera must show: the container, the stream's props and the outlet. */
function viewBox(scene: FluidScene): ViewBox {
  const box: ViewBox = { minXM: Infinity, maxXM: -Infinity, maxYM: 0 };
  const include = (xM: number, yM: number): void => {
    box.minXM = Math.min(box.minXM, xM);
    box.maxXM = Math.max(box.maxXM, xM);
    box.maxYM = Math.max(box.maxYM, yM);
  };
  const { container, stream } = scene;
  if (container !== null) {
    const half = container.innerWidthM / 2 + CONTAINER_LOOK.wallM;
    include(-half, container.baseM + container.innerHeightM);
    include(half, 0);
  }
  if (stream !== null && (scene.kind === 'pour' || scene.kind === 'tap')) {
    for (const polygon of streamProps(scene.kind, stream)) for (const [xM, yM] of polygon.pointsM) include(xM, yM);
  }
  return box;
}

/** The requested defect checked against this scene, with its start time and physics; null when none is asked for. */
function plantFluidDefect(prompt: Prompt, options: SimOptions, ideal: FluidSimulation, settings: ClipSettings): { defect: PlantedDefect; physics: FluidPhysicsDefect } | null {
  const request = options.defect ?? null;
  if (request === null) return null;
  if (!isFluidDefect(request.code)) {
    throw new SimError('defect-not-applicable', prompt.id, `${request.code} is not a fluid defect; fluid clips take ${FLUID_DEFECT_CODES.join(', ')}`);
  }
  const value = request.value ?? DEFECTS[request.code].defaultValue;
  const problem = fluidDefectValueProblem(request.code, value);
  if (problem !== null) throw new SimError('invalid-defect-value', prompt.id, problem);
  const timing = fluidDefectTiming(request.code, ideal, settings);
  if ('problem' in timing) throw new SimError('defect-not-applicable', prompt.id, timing.problem);
  return { defect: { code: request.code, value, atS: timing.atS }, physics: fluidPhysicsDefect(request.code, value, timing.atS) };
}

/** Draws one frame's liquid (stream, container) over a copy of the background. */
function drawFluidFrame(frame: Uint8Array, simulation: FluidSimulation, k: number, camera: Camera, size: { width: number; height: number }): void {
  const { scene, widthAtDropM } = simulation;
  const state = simulation.frames[k];
  if (state === undefined) return;
  const { stream, container, colorRgb, opacity } = scene;
  if (stream !== null && state.stream !== null && widthAtDropM !== null) {
    const outletYPx = toPixels(camera, 0, stream.outletYM).yPx;
    const xPx = toPixels(camera, stream.xM, 0).xPx;
    const widthPxAt = (yPx: number): number => widthAtDropM((yPx - outletYPx) / camera.pxPerM) * camera.pxPerM;
    drawStream(frame, size, xPx, outletYPx + state.stream.topDropM * camera.pxPerM, outletYPx + state.stream.bottomDropM * camera.pxPerM, widthPxAt, colorRgb, opacity);
  }
  if (container !== null) {
    const box = containerPx(camera, container);
    drawLiquidColumn(frame, size, box, box.bottomYPx - state.levelM * camera.pxPerM, state.tiltDeg, colorRgb, opacity);
  }
}

/**
 * Simulates a fluid or splash prompt without writing anything: the liquid frame by frame, a fixed
 * side view, the truth, the frames (drawn lazily) and, when the prompt's impacts are audible, the
 * sound of the liquid.
 */
export function prepareFluidClip(prompt: Prompt, options: SimOptions = {}): PreparedClip {
  const audible = (options.audio ?? SIM_DEFAULTS.audio) && prompt.expect.audibleImpacts;
  const settings = resolveSettings(prompt, { ...options, audio: audible });
  const { width, height, fps, seed, frameCount } = settings;
  const scene = buildFluidScene(prompt);
  const ideal = simulateFluid(scene, fps, frameCount, NO_FLUID_DEFECT);
  const planted = plantFluidDefect(prompt, options, ideal, settings);
  const simulation = planted === null ? ideal : simulateFluid(scene, fps, frameCount, planted.physics);
  // Framed on the exact scene, so a defect does not change the view.
  const camera = chooseFluidCamera(viewBox(scene), width, height);
  const size = { width, height };

  const sampleRate = AUDIO_DEFAULTS.sampleRate;
  const audio: AudioTrack | null = settings.audio
    ? { sampleRate, samples: synthesizeFluidAudio(simulation.impacts, simulation.noises, settings.durationS, seed, sampleRate) }
    : null;
  const onsetsS = [...simulation.impacts.map((impact) => impact.startS), ...simulation.noises.map((noise) => noise.startS)]
    .filter((startS) => startS >= 0 && startS < settings.durationS)
    .sort((a, b) => a - b);

  const truth: GroundTruth = {
    schemaVersion: 1,
    promptId: prompt.id,
    seed,
    width,
    height,
    fps,
    frameCount,
    durationS: settings.durationS,
    pxPerM: camera.pxPerM,
    gravityMS2: scene.gravityMS2,
    gravityPxS2: scene.gravityMS2 * camera.pxPerM,
    floorYPx: camera.floorYPx,
    objects: [],
    audio: audio === null ? null : { sampleRate, offsetMs: 0, impactsS: onsetsS },
    defect: planted?.defect ?? null,
    fluid: fluidTruth(simulation, camera, planted?.physics.restTiltDeg ?? 0, null),
  };

  function* frames(): Generator<Uint8Array> {
    const background = renderBackground(size, camera, null, settings.texture, seed);
    if (scene.container !== null) drawContainer(background, size, containerPx(camera, scene.container));
    if (scene.stream !== null && (scene.kind === 'pour' || scene.kind === 'tap')) {
      for (const polygon of streamProps(scene.kind, scene.stream)) drawPolygon(background, size, camera, polygon);
    }
    const noise = new SensorNoise(settings.noiseSigma, seed);
    const watermark = settings.watermark ? new Watermark(size, seed) : null;
    for (let k = 0; k < frameCount; k += 1) {
      const frame = background.slice();
      drawFluidFrame(frame, simulation, k, camera, size);
      if (settings.noiseSigma > 0) noise.apply(frame, 1);
      watermark?.draw(frame, k / fps);
      yield frame;
    }
  }
  return { truth, settings, frames, audio };
}
