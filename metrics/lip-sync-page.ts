/**
 * The page that runs MediaPipe's face detection inside headless Chromium (its detectors need WebGL,
 * which Node lacks). It is served from a local route with the @mediapipe/tasks-vision bundle and
 * wasm; it fetches frames from the route as raw RGB, so nothing crosses the boundary as text but the
 * results. Kept as a string because it runs in the browser, not in Node.
 */

/** Where the page and its files are served; `.invalid` never resolves, so nothing can leave the machine. */
export const LIP_SYNC_ORIGIN = 'http://physeval.invalid';

export const LIP_SYNC_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>physeval lip sync</title>
<script src="/tasks/vision_bundle.js"></script>
<script>
'use strict';
let task = null;
let cropTask = null;
let lastTimestampMs = -1;
let lastFace = null;

// kind: 'face-detector' (BlazeFace: box and six keypoints, the fourth is the mouth centre) or
// 'face-landmarker' (478-point mesh). VIDEO mode lets the landmarker track between frames.
window.physevalLoad = async (kind) => {
  const fileset = await Vision.FilesetResolver.forVisionTasks('/tasks/wasm');
  const options = { baseOptions: { modelAssetPath: '/model', delegate: 'CPU' }, runningMode: 'VIDEO' };
  if (kind === 'face-landmarker') {
    task = await Vision.FaceLandmarker.createFromOptions(fileset, { ...options, numFaces: 1 });
  } else {
    task = await Vision.FaceDetector.createFromOptions(fileset, options);
    cropTask = await Vision.FaceDetector.createFromOptions(fileset, { ...options, runningMode: 'IMAGE' });
  }
  window.physevalKind = kind;
  return true;
};

// Detects in a batch of frames fetched from /frames/<batch> (RGB, row-major, one after another).
window.physevalDetect = async (batch, width, height, timesMs) => {
  const response = await fetch('/frames/' + batch);
  const rgb = new Uint8Array(await response.arrayBuffer());
  const pixels = width * height;
  const out = [];
  for (let f = 0; f < timesMs.length; f++) {
    const rgba = new Uint8ClampedArray(pixels * 4);
    for (let i = 0, j = f * pixels * 3; i < pixels; i++, j += 3) {
      rgba[4 * i] = rgb[j]; rgba[4 * i + 1] = rgb[j + 1]; rgba[4 * i + 2] = rgb[j + 2]; rgba[4 * i + 3] = 255;
    }
    const image = new ImageData(rgba, width, height);
    const timestampMs = Math.max(lastTimestampMs + 1, Math.round(timesMs[f]));
    lastTimestampMs = timestampMs;
    if (window.physevalKind === 'face-landmarker') {
      out.push(fromLandmarks(task.detectForVideo(image, timestampMs), width, height));
      continue;
    }
    // Look first around the face of the frame before (one detection instead of two); search the
    // whole frame only when it is not there.
    let face = lastFace === null ? null : refined(rgba, width, height, lastFace);
    if (face === null) {
      const found = fromDetections(task.detectForVideo(image, timestampMs), width, height, 0, 0);
      face = found === null ? null : refined(rgba, width, height, found) || found;
    }
    lastFace = face;
    out.push(face);
  }
  return out;
};

// BlazeFace sees the whole frame at 128 px, where a face a fifth of the frame wide is ~25 px and its
// keypoints jump by pixels: detect in a square around the face instead, where it fills the input.
// Null when no face is found there.
function refined(rgba, width, height, face) {
  const side = Math.round(Math.min(width, height, 2.2 * Math.max(face.box.width, face.box.height)));
  const cx = face.box.x + face.box.width / 2;
  const cy = face.box.y + face.box.height / 2;
  const x0 = Math.round(Math.max(0, Math.min(width - side, cx - side / 2)));
  const y0 = Math.round(Math.max(0, Math.min(height - side, cy - side / 2)));
  const crop = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) crop.set(rgba.subarray(4 * ((y0 + y) * width + x0), 4 * ((y0 + y) * width + x0 + side)), 4 * y * side);
  return fromDetections(cropTask.detect(new ImageData(crop, side, side)), side, side, x0, y0);
}

function fromDetections(result, width, height, offsetX, offsetY) {
  let best = null;
  for (const d of result.detections) {
    const score = d.categories && d.categories[0] ? d.categories[0].score : 0;
    if (!d.boundingBox || (best !== null && score <= best.score)) continue;
    const k = d.keypoints || [];
    const point = (i) => (k[i] ? { x: offsetX + k[i].x * width, y: offsetY + k[i].y * height } : null);
    const b = d.boundingBox;
    best = { score, box: { x: offsetX + b.originX, y: offsetY + b.originY, width: b.width, height: b.height },
             mouth: point(3), leftEye: point(1), rightEye: point(0), lips: null };
  }
  return best;
}

// Mesh indices: 13 / 14 inner upper / lower lip, 61 / 291 mouth corners, 33 / 263 outer eye corners.
function fromLandmarks(result, width, height) {
  const face = result.faceLandmarks && result.faceLandmarks[0];
  if (!face) return null;
  const at = (i) => ({ x: face[i].x * width, y: face[i].y * height });
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of face) {
    minX = Math.min(minX, p.x * width); maxX = Math.max(maxX, p.x * width);
    minY = Math.min(minY, p.y * height); maxY = Math.max(maxY, p.y * height);
  }
  const upper = at(13), lower = at(14);
  return { score: 1, box: { x: minX, y: minY, width: maxX - minX, height: maxY - minY },
           mouth: { x: (upper.x + lower.x) / 2, y: (upper.y + lower.y) / 2 }, leftEye: at(263), rightEye: at(33),
           lips: { upper, lower, left: at(61), right: at(291) } };
}
</script></head><body></body></html>
`;
