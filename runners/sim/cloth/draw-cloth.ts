import type { Camera } from '../camera.js';
import type { Rgb } from '../color.js';
import { clampByte, type RasterSize } from '../frame-buffer.js';
import type { ClothBox, ClothScene } from './cloth-scene.js';
import { OBLIQUE_DEPTH_LIFT, projectCloth } from './cloth-camera.js';

/** Look of the cloth and its props, in one place. */
export const CLOTH_LOOK = {
  /** Checker cells across the cloth's width (corners are what a feature tracker follows). */
  checkerCellsAcross: 8,
  /** Brightness of the dark checker cells relative to the light ones. */
  darkCellShade: 0.45,
  /** Shade = ambient + diffuse · |n · light|, light from above and in front. */
  ambient: 0.55,
  diffuse: 0.45,
  light: [0, 0.8, -0.6] as [number, number, number],
  boxRgb: [110, 76, 48] as Rgb,
  poleRgb: [225, 225, 225] as Rgb,
  poleWidthM: 0.04,
} as const;

function fillRect(rgb: Uint8Array, size: RasterSize, x0: number, x1: number, y0: number, y1: number, color: Rgb): void {
  for (let y = Math.max(0, Math.ceil(y0)); y < Math.min(size.height, Math.ceil(y1)); y += 1) {
    for (let x = Math.max(0, Math.ceil(x0)); x < Math.min(size.width, Math.ceil(x1)); x += 1) {
      const i = (y * size.width + x) * 3;
      rgb[i] = color[0];
      rgb[i + 1] = color[1];
      rgb[i + 2] = color[2];
    }
  }
}

/** The box's front face and its top seen from above (both axis-aligned in the oblique view), drawn into the background. */
export function drawBox(rgb: Uint8Array, size: RasterSize, camera: Camera, box: ClothBox): void {
  const left = projectCloth(camera, -box.halfWidthM, 0, 0).xPx;
  const right = projectCloth(camera, box.halfWidthM, 0, 0).xPx;
  const frontTop = projectCloth(camera, 0, box.topM, -box.halfDepthM).yPx;
  const backTop = projectCloth(camera, 0, box.topM, box.halfDepthM).yPx;
  const frontBottom = projectCloth(camera, 0, 0, -box.halfDepthM).yPx;
  const top: Rgb = [box.kind === 'table' ? 150 : 140, 108, 74];
  fillRect(rgb, size, left, right, backTop, frontTop, top);
  fillRect(rgb, size, left, right, frontTop, frontBottom, CLOTH_LOOK.boxRgb);
}

/** The flag pole at the pinned edge, from the floor to a little above the flag. */
export function drawPole(rgb: Uint8Array, size: RasterSize, camera: Camera, scene: ClothScene): void {
  const xM = -scene.widthM / 2;
  const halfPx = Math.max(1, (CLOTH_LOOK.poleWidthM * camera.pxPerM) / 2);
  const top = projectCloth(camera, xM, scene.startHeightM + 0.05, 0);
  fillRect(rgb, size, top.xPx - halfPx, top.xPx + halfPx, top.yPx, camera.floorYPx, CLOTH_LOOK.poleRgb);
}

interface ScreenNode {
  xPx: number;
  yPx: number;
}

/**
 * Fills one triangle (pixel centres inside it, edge functions) with the checker texture at the
 * interpolated grid coordinates (u, v in cells), times `shade`.
 */
function fillTriangle(rgb: Uint8Array, size: RasterSize, nodes: [ScreenNode, ScreenNode, ScreenNode], uv: [number, number][], color: Rgb, shade: number): void {
  const [a, b, c] = nodes;
  const area = (b.xPx - a.xPx) * (c.yPx - a.yPx) - (c.xPx - a.xPx) * (b.yPx - a.yPx);
  if (Math.abs(area) < 1e-9) return;
  const x0 = Math.max(0, Math.ceil(Math.min(a.xPx, b.xPx, c.xPx)));
  const x1 = Math.min(size.width - 1, Math.floor(Math.max(a.xPx, b.xPx, c.xPx)));
  const y0 = Math.max(0, Math.ceil(Math.min(a.yPx, b.yPx, c.yPx)));
  const y1 = Math.min(size.height - 1, Math.floor(Math.max(a.yPx, b.yPx, c.yPx)));
  const [ua, va] = uv[0] ?? [0, 0];
  const [ub, vb] = uv[1] ?? [0, 0];
  const [uc, vc] = uv[2] ?? [0, 0];
  const dark = CLOTH_LOOK.darkCellShade;
  for (let y = y0; y <= y1; y += 1) {
    for (let x = x0; x <= x1; x += 1) {
      // Barycentric weights of b and c (Möbius coordinates from signed areas).
      const wb = ((x - a.xPx) * (c.yPx - a.yPx) - (c.xPx - a.xPx) * (y - a.yPx)) / area;
      const wc = ((b.xPx - a.xPx) * (y - a.yPx) - (x - a.xPx) * (b.yPx - a.yPx)) / area;
      const wa = 1 - wb - wc;
      if (wa < 0 || wb < 0 || wc < 0) continue;
      const u = wa * ua + wb * ub + wc * uc;
      const v = wa * va + wb * vb + wc * vc;
      const cell = (Math.floor(u) + Math.floor(v)) % 2 === 0 ? 1 : dark;
      const i = (y * size.width + x) * 3;
      rgb[i] = clampByte(color[0] * cell * shade);
      rgb[i + 1] = clampByte(color[1] * cell * shade);
      rgb[i + 2] = clampByte(color[2] * cell * shade);
    }
  }
}

/** Draws the cloth at one frame: every grid triangle, far ones first, checker-textured and shaded by its normal. */
export function drawCloth(rgb: Uint8Array, size: RasterSize, camera: Camera, scene: ClothScene, p: Float64Array): void {
  const { nodesU, nodesV } = scene;
  const cellsPerNodeU = CLOTH_LOOK.checkerCellsAcross / (nodesU - 1);
  const cellSizeM = scene.widthM / CLOTH_LOOK.checkerCellsAcross;
  const cellsPerNodeV = scene.lengthM / cellSizeM / (nodesV - 1);
  const screen: ScreenNode[] = [];
  for (let i = 0; i < p.length; i += 3) screen.push(projectCloth(camera, p[i] as number, p[i + 1] as number, p[i + 2] as number));
  const triangles: Array<{ ids: [number, number, number]; depth: number }> = [];
  // Depth along the viewing direction (0, −lift, 1): larger is farther from the camera.
  const depthOf = (i: number): number => (p[3 * i + 2] as number) - OBLIQUE_DEPTH_LIFT * (p[3 * i + 1] as number);
  for (let v = 0; v + 1 < nodesV; v += 1) {
    for (let u = 0; u + 1 < nodesU; u += 1) {
      const a = v * nodesU + u;
      for (const ids of [[a, a + 1, a + nodesU], [a + 1, a + nodesU + 1, a + nodesU]] as [number, number, number][]) {
        triangles.push({ ids, depth: depthOf(ids[0]) + depthOf(ids[1]) + depthOf(ids[2]) });
      }
    }
  }
  triangles.sort((x, y) => y.depth - x.depth);
  const [lx, ly, lz] = CLOTH_LOOK.light;
  const lightNorm = Math.hypot(lx, ly, lz);
  for (const { ids } of triangles) {
    const [i, j, k] = ids;
    const e1 = [0, 1, 2].map((c) => (p[3 * j + c] as number) - (p[3 * i + c] as number));
    const e2 = [0, 1, 2].map((c) => (p[3 * k + c] as number) - (p[3 * i + c] as number));
    const [ax = 0, ay = 0, az = 0] = e1;
    const [bx = 0, by = 0, bz = 0] = e2;
    const nx = ay * bz - az * by;
    const ny = az * bx - ax * bz;
    const nz = ax * by - ay * bx;
    const n = Math.hypot(nx, ny, nz) * lightNorm;
    const shade = CLOTH_LOOK.ambient + CLOTH_LOOK.diffuse * (n === 0 ? 1 : Math.abs(nx * lx + ny * ly + nz * lz) / n);
    const uv = ids.map((id): [number, number] => [(id % nodesU) * cellsPerNodeU, Math.floor(id / nodesU) * cellsPerNodeV]);
    const nodes = ids.map((id) => screen[id] ?? { xPx: 0, yPx: 0 }) as [ScreenNode, ScreenNode, ScreenNode];
    fillTriangle(rgb, size, nodes, uv, scene.colorRgb, shade);
  }
}
