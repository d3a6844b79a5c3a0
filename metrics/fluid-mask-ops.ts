/** A binary mask over a frame, row-major, 1 where set. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Sets every pixel of `soft` with membership ≥ `level` (0-1). */
export function binarize(soft: Float32Array, width: number, height: number, level = 0.5): BinaryMask {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = soft[i]! >= level ? 1 : 0;
  return { width, height, data };
}

/** Dilation by a (2r+1)² square: a separable running maximum, rows then columns. */
export function dilate(mask: BinaryMask, radiusPx: number): BinaryMask {
  const { width, height, data } = mask;
  const r = Math.max(0, Math.round(radiusPx));
  const rows = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let lastSetX = -Infinity;
    // Forward pass keeps the nearest set pixel to the left; a backward pass adds the right side.
    for (let x = 0; x < width; x++) {
      if (data[base + x] === 1) lastSetX = x;
      if (x - lastSetX <= r) rows[base + x] = 1;
    }
    let nextSetX = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (data[base + x] === 1) nextSetX = x;
      if (nextSetX - x <= r) rows[base + x] = 1;
    }
  }
  const out = new Uint8Array(data.length);
  for (let x = 0; x < width; x++) {
    let lastSetY = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x] === 1) lastSetY = y;
      if (y - lastSetY <= r) out[y * width + x] = 1;
    }
    let nextSetY = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x] === 1) nextSetY = y;
      if (nextSetY - y <= r) out[y * width + x] = 1;
    }
  }
  return { width, height, data: out };
}

/** Pixels set in `a` and not in `b`. */
export function subtract(a: BinaryMask, b: BinaryMask): BinaryMask {
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i] === 1 && b.data[i] !== 1 ? 1 : 0;
  return { width: a.width, height: a.height, data };
}

export interface MaskComponent {
  areaPx: number;
  xMinPx: number;
  xMaxPx: number;
  yMinPx: number;
  yMaxPx: number;
  centroidXPx: number;
  centroidYPx: number;
}

/** 8-connected components of a mask, with their area, bounding box and centroid (a flood fill with an explicit stack). */
export function connectedComponents(mask: BinaryMask): MaskComponent[] {
  const { width, height, data } = mask;
  const seen = new Uint8Array(data.length);
  const stack = new Int32Array(data.length);
  const components: MaskComponent[] = [];
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== 1 || seen[start] === 1) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    const c: MaskComponent = { areaPx: 0, xMinPx: width, xMaxPx: -1, yMinPx: height, yMaxPx: -1, centroidXPx: 0, centroidYPx: 0 };
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      c.areaPx++;
      c.centroidXPx += x;
      c.centroidYPx += y;
      c.xMinPx = Math.min(c.xMinPx, x);
      c.xMaxPx = Math.max(c.xMaxPx, x);
      c.yMinPx = Math.min(c.yMinPx, y);
      c.yMaxPx = Math.max(c.yMaxPx, y);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (data[j] === 1 && seen[j] === 0) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    c.centroidXPx /= c.areaPx;
    c.centroidYPx /= c.areaPx;
    components.push(c);
  }
  return components;
}
