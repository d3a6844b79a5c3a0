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
import { chooseFluidCamera, chooseSpillCamera, containerPx, CONTAINER_LOOK, type ViewBox } from './fluid-camera.js';
import { FLUID_DEFECT_CODES, fluidDefectTiming, fluidDefectValueProblem, fluidPhysicsDefect, isFluidDefect } from './fluid-defects.js';
import { NO_FLUID_DEFECT, type FluidPhysicsDefect } from './fluid-frames.js';
import { simulateFluid, type FluidSimulation } from './fluid-physics.js';
import { streamProps } from './fluid-props.js';
import { buildFluidScene, type FluidScene } from './fluid-scene.js';
import { DROPLET_MIN_OPACITY, dropletRadiusPx, fluidTruth } from './fluid-truth.js';
import { blendRect, drawContainer, drawDisc, drawEllipse, drawLiquidColumn, drawPolygon, drawStream, GLASS_LOOK } from './draw-fluid.js';
import { drawBall } from '../draw-ball.js';
import type { TruthObject, TruthSample } from '../truth.js';

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
  if (scene.ball !== null && container !== null) {
    // The ball's top at release, above the still surface.
    include(0, container.baseM + scene.initialVolumeM3 / container.areaM2 + scene.ball.dropHeightM + scene.ball.diameterM);
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
  if (request.target !== undefined && request.code !== 'gravity-off') {
    throw new SimError('defect-not-applicable', prompt.id, `only gravity-off acts on the ${request.target} alone, not ${request.code}`);
  }
  const timing = fluidDefectTiming(request.code, ideal, settings);
  if ('problem' in timing) throw new SimError('defect-not-applicable', prompt.id, timing.problem);
  return { defect: { code: request.code, value, atS: timing.atS }, physics: fluidPhysicsDefect(request.code, value, timing.atS, request.target) };
}

/** Where a droplet is at timeS on its arc (y up), or null when it is not in flight. */
function dropletAt(launch: { launchS: number; xM: number; yM: number; vxMS: number; vyMS: number }, timeS: number, gravityMS2: number): { xM: number; yM: number } | null {
  const tauS = timeS - launch.launchS;
  if (tauS < 0 || (gravityMS2 > 0 && tauS >= (2 * launch.vyMS) / gravityMS2)) return null;
  return { xM: launch.xM + launch.vxMS * tauS, yM: launch.yM + launch.vyMS * tauS - 0.5 * gravityMS2 * tauS * tauS };
}

/** The glass of a spill lies on its side left of the puddle's centre, its mouth there; the liquid still in it is a band along its bottom. */
function drawTippedGlass(frame: Uint8Array, size: { width: number; height: number }, simulation: FluidSimulation, k: number, camera: Camera, puddleCenterPx: { xPx: number; yPx: number }): void {
  const spill = simulation.scene.spill;
  const state = simulation.frames[k];
  if (spill === null || state === undefined) return;
  const lengthPx = SPILL_GLASS_LENGTH_DIAMETERS * spill.glassDiameterM * camera.pxPerM;
  const diameterPx = spill.glassDiameterM * camera.pxPerM;
  const { xPx, yPx } = puddleCenterPx;
  blendRect(frame, size, xPx - lengthPx, xPx, yPx - diameterPx, yPx, GLASS_LOOK.rgb, GLASS_LOOK.opacity / 2);
  const fullShare = state.otherVolumeM3 / spill.volumeM3;
  if (fullShare > 0) blendRect(frame, size, xPx - lengthPx, xPx, yPx - diameterPx * fullShare, yPx, simulation.scene.colorRgb, simulation.scene.opacity);
}

/** A spill's glass is this many diameters long. */
const SPILL_GLASS_LENGTH_DIAMETERS = 1.6;

/** Draws one frame: the ball, the stream, the liquid in the container, droplets, the puddle and tipped glass. */
function drawFluidFrame(frame: Uint8Array, simulation: FluidSimulation, k: number, camera: Camera, size: { width: number; height: number }, puddleCenterPx: { xPx: number; yPx: number } | null): void {
  const { scene, widthAtDropM } = simulation;
  const state = simulation.frames[k];
  if (state === undefined) return;
  const { stream, container, colorRgb, opacity, ball } = scene;
  // The ball first: the liquid tints it where it is under water.
  if (ball !== null && state.ball !== null) {
    const { xPx, yPx } = toPixels(camera, state.ball.xM, state.ball.yM);
    drawBall(frame, size, { xPx, yPx, radiusPx: (ball.diameterM / 2) * camera.pxPerM, colorRgb: ball.colorRgb });
  }
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
  for (const droplet of simulation.droplets) {
    const at = dropletAt(droplet, k / simulation.fps, simulation.dropletGravityMS2);
    if (at === null) continue;
    const { xPx, yPx } = toPixels(camera, at.xM, at.yM);
    drawDisc(frame, size, xPx, yPx, dropletRadiusPx(droplet.radiusM, camera.pxPerM, size.width), colorRgb, Math.max(opacity, DROPLET_MIN_OPACITY));
  }
  if (puddleCenterPx !== null && scene.spill !== null) {
    if (state.puddle !== null) {
      const radiusXPx = state.puddle.radiusM * camera.pxPerM;
      const radiusYPx = radiusXPx * Math.sin((scene.spill.elevationDeg * Math.PI) / 180);
      drawEllipse(frame, size, puddleCenterPx.xPx, puddleCenterPx.yPx, radiusXPx, radiusYPx, colorRgb, opacity);
    }
    drawTippedGlass(frame, size, simulation, k, camera, puddleCenterPx);
  }
}

/** The splash's ball as a truth object: one sample per frame, its contacts (water entry, bottom) without rebound. */
function splashBallTruth(simulation: FluidSimulation, camera: Camera): TruthObject[] {
  const ball = simulation.scene.ball;
  if (ball === null) return [];
  const radiusPx = (ball.diameterM / 2) * camera.pxPerM;
  return [
    {
      id: 0,
      name: ball.name,
      diameterM: ball.diameterM,
      massKg: ball.massKg,
      colorRgb: ball.colorRgb,
      restitution: simulation.ballContacts.map(() => 0),
      contactsS: simulation.ballContacts.map((contact) => contact.timeS),
      frames: simulation.frames.map((frame): TruthSample => {
        const { xPx, yPx } = toPixels(camera, frame.ball?.xM ?? 0, frame.ball?.yM ?? 0);
        return [frame.timeS, xPx, yPx, radiusPx, frame.ball === null ? 0 : 1];
      }),
    },
  ];
}

/**
 * Simulates a fluid or splash prompt without writing anything: the liquid frame by frame, a fixed
 * side view (an oblique one for a spill), the truth, the frames (drawn lazily) and, when the
 * prompt's impacts are audible, the sound of the liquid and the ball.
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
  const spillView =
    scene.spill === null
      ? null
      : chooseSpillCamera(
          Math.sqrt(scene.spill.volumeM3 / (Math.PI * scene.spill.restThicknessM)),
          SPILL_GLASS_LENGTH_DIAMETERS * scene.spill.glassDiameterM,
          scene.spill.elevationDeg,
          width,
          height,
        );
  const camera = spillView?.camera ?? chooseFluidCamera(viewBox(scene), width, height);
  const puddleCenterPx = spillView?.puddleCenterPx ?? null;
  const size = { width, height };

  const sampleRate = AUDIO_DEFAULTS.sampleRate;
  const audio: AudioTrack | null = settings.audio
    ? { sampleRate, samples: synthesizeFluidAudio(simulation.impacts, simulation.noises, settings.durationS, seed, sampleRate) }
    : null;
  const onsetsS = [...new Set([...simulation.impacts.map((impact) => impact.startS), ...simulation.noises.map((noise) => noise.startS)])]
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
    objects: splashBallTruth(simulation, camera),
    audio: audio === null ? null : { sampleRate, offsetMs: 0, impactsS: onsetsS },
    defect: planted?.defect ?? null,
    fluid: fluidTruth(simulation, camera, width, planted?.physics.restTiltDeg ?? 0, puddleCenterPx),
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
      drawFluidFrame(frame, simulation, k, camera, size, puddleCenterPx);
      if (settings.noiseSigma > 0) noise.apply(frame, 1);
      watermark?.draw(frame, k / fps);
      yield frame;
    }
  }
  return { truth, settings, frames, audio };
}
