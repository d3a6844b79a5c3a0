import type { Rgb } from '../color.js';
import type { FluidStream } from './fluid-scene.js';

/** Shapes and colours of the props around a stream, in one place (m, deg). */
export const PROP_LOOK = {
  /** The jug: body length along its axis and width across, and its axis' tilt above the horizontal while it pours. */
  jugLengthM: 0.14,
  jugWidthM: 0.09,
  jugTiltDeg: 30,
  jugRgb: [226, 222, 210] as Rgb,
  /** The tap: spout height above the outlet, pipe thickness and reach to the right. */
  tapSpoutM: 0.04,
  tapPipeM: 0.02,
  tapReachM: 0.12,
  tapRgb: [160, 166, 172] as Rgb,
} as const;

/** A convex polygon in world metres (x right, y up), with its fill. */
export interface PropPolygon {
  pointsM: Array<[xM: number, yM: number]>;
  colorRgb: Rgb;
}

/**
 * The jug tipped over the stream: a rectangle whose mouth's lower corner is the outlet's left edge,
 * its axis rising up and to the left, so the stream leaves it straight down.
 */
function jug(stream: FluidStream): PropPolygon[] {
  const d = PROP_LOOK;
  const tilt = (d.jugTiltDeg * Math.PI) / 180;
  const origin: [number, number] = [stream.xM - stream.outletWidthM / 2, stream.outletYM];
  const axis: [number, number] = [-Math.cos(tilt), Math.sin(tilt)];
  const across: [number, number] = [Math.sin(tilt), Math.cos(tilt)];
  const at = (u: number, v: number): [number, number] => [origin[0] + u * axis[0] + v * across[0], origin[1] + u * axis[1] + v * across[1]];
  return [{ pointsM: [at(0, 0), at(0, d.jugWidthM), at(d.jugLengthM, d.jugWidthM), at(d.jugLengthM, 0)], colorRgb: d.jugRgb }];
}

/** The tap: a spout above the outlet and a pipe to the right, both as wide as the outlet plus a wall. */
function tap(stream: FluidStream): PropPolygon[] {
  const d = PROP_LOOK;
  const half = stream.outletWidthM / 2 + 0.004;
  const left = stream.xM - half;
  const right = stream.xM + half;
  const top = stream.outletYM + d.tapSpoutM;
  const rect = (x0: number, x1: number, y0: number, y1: number): PropPolygon => ({ pointsM: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], colorRgb: d.tapRgb });
  return [rect(left, right, stream.outletYM, top), rect(left, right + d.tapReachM, top - d.tapPipeM, top)];
}

/** The props that hold the stream's outlet: a jug for a pour, a tap for a tap. */
export function streamProps(kind: 'pour' | 'tap', stream: FluidStream): PropPolygon[] {
  return kind === 'tap' ? tap(stream) : jug(stream);
}
