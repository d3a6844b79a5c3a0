/**
 * The one place OpenCV (the wasm build `@techstark/opencv-js`) is loaded: lazily, once per process,
 * because loading costs about 0.6 s and only the flow-based measures need it.
 */
import { createRequire } from 'node:module';
import type * as OpenCvTypes from '@techstark/opencv-js';

export type OpenCv = typeof OpenCvTypes;

/** Thrown when the OpenCV module cannot be loaded or is used before `loadOpenCv()` has finished. */
export class OpenCvError extends Error {
  constructor(
    readonly code: 'opencv-unavailable' | 'opencv-not-loaded',
    message: string,
  ) {
    super(message);
    this.name = 'OpenCvError';
  }
}

let loaded: OpenCv | null = null;
let loading: Promise<OpenCv> | null = null;

/** Loads OpenCV once; later calls share the same load. */
export function loadOpenCv(): Promise<OpenCv> {
  loading ??= importOpenCv().then((box) => (loaded = box.cv));
  return loading;
}

/** The module once `loadOpenCv()` has resolved; a metric's synchronous `onFrame` calls this. */
export function loadedOpenCv(): OpenCv {
  if (loaded === null) throw new OpenCvError('opencv-not-loaded', 'metrics/opencv.ts: OpenCV was used before loadOpenCv() finished (a metric needing it must await it in prepare())');
  return loaded;
}

async function importOpenCv(): Promise<{ cv: OpenCv }> {
  let cv: OpenCv;
  try {
    // Required, not imported: the CommonJS export is a thenable, and awaiting an import whose
    // namespace is that export (as vitest's loader makes it) never settles.
    cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
  } catch (error) {
    loading = null;
    throw new OpenCvError('opencv-unavailable', `@techstark/opencv-js: could not be loaded (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof cv.Mat !== 'function') {
    const runtime = cv as OpenCv & { onRuntimeInitialized?: () => void };
    await new Promise<void>((resolve) => (runtime.onRuntimeInitialized = resolve));
  }
  // Emscripten's module is a thenable that only serves to await readiness; once ready it must go, or
  // every promise resolved with the module would keep following `then` and never settle.
  Reflect.deleteProperty(cv, 'then');
  return { cv };
}
