import { connectedComponents, dilate, subtract, type BinaryMask, type MaskComponent } from './fluid-mask-ops.js';

/**
 * Liquid of `candidate` further than `reachPx` from any liquid of `reference`. With the earlier frame
 * as reference: the pieces that appeared; with the later frame as reference: the earlier frame's
 * pieces that vanished. Liquid moves, so only what lies beyond the distance it can travel in a frame
 * counts. Pieces under `minAreaPx` are noise.
 */
export function unreachedPieces(reference: BinaryMask, candidate: BinaryMask, reachPx: number, minAreaPx: number): MaskComponent[] {
  return piecesBeyond(dilate(reference, reachPx), candidate, minAreaPx);
}

/** Pieces of `candidate` outside `reach` (a reference mask already dilated), at least `minAreaPx` large. */
export function piecesBeyond(reach: BinaryMask, candidate: BinaryMask, minAreaPx: number): MaskComponent[] {
  const beyond = subtract(candidate, reach);
  if (!beyond.data.includes(1)) return [];
  return connectedComponents(beyond).filter((c) => c.areaPx >= minAreaPx);
}

/** A rectangle of the frame, px, inclusive. */
export interface Region {
  xMinPx: number;
  xMaxPx: number;
  yMinPx: number;
  yMaxPx: number;
}

/** Whether a piece overlaps a region. */
export function overlaps(piece: MaskComponent, region: Region): boolean {
  return piece.xMaxPx >= region.xMinPx && piece.xMinPx <= region.xMaxPx && piece.yMaxPx >= region.yMinPx && piece.yMinPx <= region.yMaxPx;
}

/** Whether a piece touches the frame's border within `marginPx` (liquid may enter or leave the view there). */
export function touchesBorder(piece: MaskComponent, width: number, height: number, marginPx: number): boolean {
  return piece.xMinPx <= marginPx || piece.yMinPx <= marginPx || piece.xMaxPx >= width - 1 - marginPx || piece.yMaxPx >= height - 1 - marginPx;
}
