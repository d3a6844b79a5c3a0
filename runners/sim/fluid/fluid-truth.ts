import type { Camera } from '../camera.js';
import { toPixels } from '../camera.js';
import type { DropletArc, FluidTruth, StreamWidthSample } from '../truth.js';
import { containerPx } from './fluid-camera.js';
import { fluidSettleS, type FluidSimulation } from './fluid-physics.js';
import { continuityWidth } from './stream-law.js';

/** Drops at which the truth samples the stream's width, as fractions of the outlet's height above the container bottom. */
export const STREAM_WIDTH_DROP_FRACTIONS = [0.1, 0.25, 0.4, 0.55, 0.7] as const;

/**
 * Smallest radius a droplet is drawn with, as a share of the frame's width (2.6 px at 640, 5.1 at
 * 1280), and least opacity: smaller or fainter ones vanish in compression (x264 at crf 23-28 kept a
 * light-blue droplet of 1.5 to 2 px radius on the beige wall in only some of its frames).
 */
export const DROPLET_MIN_RADIUS_SHARE = 0.004;
export const DROPLET_MIN_OPACITY = 0.85;

/** A droplet's drawn radius, px: its own, or the smallest that survives compression. */
export function dropletRadiusPx(radiusM: number, pxPerM: number, frameWidthPx: number): number {
  return Math.max(radiusM * pxPerM, DROPLET_MIN_RADIUS_SHARE * frameWidthPx);
}

const LITRES_PER_M3 = 1000;

/** The stream's widths at fixed drops, in the frame midway through its steady run (clamped to the clip). */
function streamWidths(simulation: FluidSimulation, camera: Camera, lastFrameS: number): { widths: StreamWidthSample[]; widthsAtS: number } {
  const { scene, frames, fps, widthAtDropM } = simulation;
  const { stream, container } = scene;
  if (stream === null || container === null || widthAtDropM === null) return { widths: [], widthsAtS: 0 };
  const fromS = Math.max(0, simulation.firstWetS);
  const toS = Math.min(stream.endS, lastFrameS);
  const k = Math.min(frames.length - 1, Math.max(0, Math.round(((fromS + toS) / 2) * fps)));
  const extent = frames[k]?.stream ?? null;
  const fullDropM = stream.outletYM - container.baseM;
  const outletYPx = toPixels(camera, 0, stream.outletYM).yPx;
  const widths = STREAM_WIDTH_DROP_FRACTIONS.map((fraction) => fraction * fullDropM)
    .filter((dropM) => extent !== null && dropM >= extent.topDropM && dropM <= extent.bottomDropM)
    .map((dropM): StreamWidthSample => [
      dropM,
      outletYPx + dropM * camera.pxPerM,
      widthAtDropM(dropM) * camera.pxPerM,
      continuityWidth(stream.outletWidthM, stream.outletSpeedMS, scene.gravityMS2, dropM) * camera.pxPerM,
    ]);
  return { widths, widthsAtS: k / fps };
}

/** Droplet launches in px: y down, so upward speeds are negative and gravity is positive. */
function dropletArcs(simulation: FluidSimulation, camera: Camera, frameWidthPx: number): DropletArc[] {
  const g = simulation.dropletGravityMS2;
  return simulation.droplets.map((droplet): DropletArc => {
    const { xPx, yPx } = toPixels(camera, droplet.xM, droplet.yM);
    // Back at the launch height after 2·vy/g (never without gravity).
    const landS = g > 0 ? droplet.launchS + (2 * droplet.vyMS) / g : null;
    return {
      launchS: droplet.launchS,
      landS,
      x0Px: xPx,
      y0Px: yPx,
      vxPxS: droplet.vxMS * camera.pxPerM,
      vyPxS: -droplet.vyMS * camera.pxPerM,
      radiusPx: dropletRadiusPx(droplet.radiusM, camera.pxPerM, frameWidthPx),
    };
  });
}

/** The truth's fluid block: what is drawn, frame by frame, through the clip's camera. */
export function fluidTruth(simulation: FluidSimulation, camera: Camera, frameWidthPx: number, restTiltDeg: number, puddleCenterPx: { xPx: number; yPx: number } | null): FluidTruth {
  const { scene, frames, fps } = simulation;
  const lastFrameS = (frames.length - 1) / fps;
  const litres = (m3: number): number => m3 * LITRES_PER_M3;
  const box = scene.container === null ? null : containerPx(camera, scene.container);
  const spill = scene.spill;
  const sinElevation = spill === null ? 1 : Math.sin((spill.elevationDeg * Math.PI) / 180);
  return {
    kind: scene.kind,
    liquid: scene.liquid,
    colorRgb: scene.colorRgb,
    opacity: scene.opacity,
    container:
      scene.container === null || box === null
        ? null
        : {
            shape: scene.container.shape,
            innerWidthM: scene.container.innerWidthM,
            areaM2: scene.container.areaM2,
            leftPx: box.leftPx,
            rightPx: box.rightPx,
            rimYPx: box.rimYPx,
            bottomYPx: box.bottomYPx,
            surfaceYPx: frames.map((frame) => box.bottomYPx - frame.levelM * camera.pxPerM),
            surfaceTiltDeg: frames.map((frame) => frame.tiltDeg),
          },
    restTiltDeg,
    settleS: fluidSettleS(frames, fps),
    containerVolumeL: frames.map((frame) => litres(frame.containerVolumeM3)),
    streamVolumeL: frames.map((frame) => litres(frame.streamVolumeM3)),
    totalVolumeL: frames.map((frame) => litres(frame.containerVolumeM3 + frame.streamVolumeM3 + frame.otherVolumeM3)),
    stream:
      scene.stream === null
        ? null
        : {
            xPx: toPixels(camera, scene.stream.xM, 0).xPx,
            outletYPx: toPixels(camera, 0, scene.stream.outletYM).yPx,
            outletSpeedMS: scene.stream.outletSpeedMS,
            outletWidthPx: scene.stream.outletWidthM * camera.pxPerM,
            flowLS: litres(scene.stream.flowM3S),
            startS: scene.stream.startS,
            endS: scene.stream.endS,
            law: 'continuity',
            ...streamWidths(simulation, camera, lastFrameS),
          },
    droplets: { gravityPxS2: simulation.dropletGravityMS2 * camera.pxPerM, arcs: dropletArcs(simulation, camera, frameWidthPx) },
    puddle:
      spill === null || puddleCenterPx === null
        ? null
        : {
            elevationDeg: spill.elevationDeg,
            centerXPx: puddleCenterPx.xPx,
            centerYPx: puddleCenterPx.yPx,
            radiusM: frames.map((frame) => frame.puddle?.radiusM ?? 0),
            thicknessM: frames.map((frame) => frame.puddle?.thicknessM ?? 0),
            radiusXPx: frames.map((frame) => (frame.puddle?.radiusM ?? 0) * camera.pxPerM),
            radiusYPx: frames.map((frame) => (frame.puddle?.radiusM ?? 0) * camera.pxPerM * sinElevation),
          },
  };
}
