/**
 * RGB24 frame buffers as the simulator draws them: row-major, 3 bytes per pixel. Pixel (column i,
 * row j) has its centre at (i, j) (see camera.ts).
 */
export interface RasterSize {
  width: number;
  height: number;
}

export function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}
