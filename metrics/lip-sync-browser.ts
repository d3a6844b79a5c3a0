/**
 * MediaPipe face detection in headless Chromium: MediaPipe's detectors move every image through a
 * WebGL texture, which Node lacks (google-ai-edge/mediapipe issue 4800), so they run in a page.
 * Everything the page loads (its HTML, the @mediapipe/tasks-vision bundle and wasm, the user's model,
 * the frames) is served by a Playwright route from local files; any other request is aborted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, Route } from 'playwright-core';
import { LIP_SYNC_ORIGIN, LIP_SYNC_PAGE_HTML } from './lip-sync-page.js';

export type LipSyncErrorCode =
  | 'face-model-unreadable'
  | 'face-model-unknown'
  | 'face-model-refused'
  | 'chromium-not-found'
  | 'tasks-vision-not-found'
  | 'face-browser-failed';

export class LipSyncError extends Error {
  override readonly name = 'LipSyncError';
  constructor(
    readonly code: LipSyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PointPx {
  x: number;
  y: number;
}

/** One face in one frame, in pixels of the frame that was sent. */
export interface FaceSighting {
  score: number;
  box: { x: number; y: number; width: number; height: number };
  /** Mouth centre (BlazeFace keypoint, or the middle of the inner lips of a mesh). */
  mouth: PointPx | null;
  leftEye: PointPx | null;
  rightEye: PointPx | null;
  /** Inner upper and lower lip and the mouth corners; only a face landmarker gives them. */
  lips: { upper: PointPx; lower: PointPx; left: PointPx; right: PointPx } | null;
}

/** A FaceLandmarker `.task` is a zip bundle; a FaceDetector `.tflite` is a TFLite flatbuffer. */
export type FaceModelKind = 'face-detector' | 'face-landmarker';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export function faceModelKind(bytes: Uint8Array, path: string): FaceModelKind {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (zip) return 'face-landmarker';
  if (new TextDecoder().decode(bytes.subarray(4, 8)) === 'TFL3') return 'face-detector';
  throw new LipSyncError('face-model-unknown', `${path}: neither a MediaPipe FaceLandmarker .task bundle (zip) nor a FaceDetector .tflite (no TFL3 identifier)`);
}

/** Chromium: the option, then PHYSEVAL_CHROMIUM, then Debian's package. */
export function chromiumPath(explicit?: string): string {
  const path = explicit ?? process.env.PHYSEVAL_CHROMIUM ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(path)) {
    throw new LipSyncError('chromium-not-found', `${path}: no Chromium there (install Debian's chromium, or set PHYSEVAL_CHROMIUM to a Chromium executable)`);
  }
  return path;
}

/** The tasks-vision package folder: PHYSEVAL_TASKS_VISION (an unpacked copy), else node_modules. */
export function tasksVisionDir(): string {
  const override = process.env.PHYSEVAL_TASKS_VISION;
  const dir = override ?? resolvedTasksVisionDir();
  if (dir === null || !existsSync(join(dir, 'vision_bundle.js')) || !existsSync(join(dir, 'wasm', 'vision_wasm_internal.wasm'))) {
    throw new LipSyncError(
      'tasks-vision-not-found',
      `@mediapipe/tasks-vision: not found${override === undefined ? ' in node_modules' : ` in ${override} (PHYSEVAL_TASKS_VISION)`}: it is a dependency of physeval (npm install)`,
    );
  }
  return dir;
}

function resolvedTasksVisionDir(): string | null {
  try {
    // The package's exports name its IIFE bundle but not its package.json.
    return dirname(createRequire(import.meta.url).resolve('@mediapipe/tasks-vision/vision_bundle.js'));
  } catch {
    return null;
  }
}

export interface FaceBrowserOptions {
  faceModelPath: string;
  chromiumPath?: string;
}

/** A page with the user's face model loaded; `close` must be called (it never throws). */
export interface FaceBrowser {
  kind: FaceModelKind;
  /** Faces in frames of one size (RGB, row-major), in order; `timesS` are their presentation times. */
  detect(framesRgb: readonly Uint8Array[], width: number, height: number, timesS: readonly number[]): Promise<Array<FaceSighting | null>>;
  close(): Promise<void>;
}

export async function openFaceBrowser(options: FaceBrowserOptions): Promise<FaceBrowser> {
  let model: Uint8Array;
  try {
    model = readFileSync(options.faceModelPath);
  } catch (error) {
    throw new LipSyncError('face-model-unreadable', `${options.faceModelPath}: face model not readable (${(error as Error).message})`, { cause: error });
  }
  const kind = faceModelKind(model, options.faceModelPath);
  const executablePath = chromiumPath(options.chromiumPath);
  const tasksDir = tasksVisionDir();
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    // SwiftShader gives WebGL 2 without a GPU; Playwright already runs Chromium without its sandbox.
    browser = await chromium.launch({ executablePath, args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  } catch (error) {
    throw new LipSyncError('face-browser-failed', `${executablePath}: Chromium did not start (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
  try {
    const page = await browser.newPage();
    const batches = new Map<string, Buffer>();
    const files: Record<string, { path: string; type: string }> = {
      '/tasks/vision_bundle.js': { path: join(tasksDir, 'vision_bundle.js'), type: 'text/javascript' },
    };
    for (const variant of ['vision_wasm_internal', 'vision_wasm_nosimd_internal']) {
      files[`/tasks/wasm/${variant}.js`] = { path: join(tasksDir, 'wasm', `${variant}.js`), type: 'text/javascript' };
      files[`/tasks/wasm/${variant}.wasm`] = { path: join(tasksDir, 'wasm', `${variant}.wasm`), type: 'application/wasm' };
    }
    await page.route('**/*', (route: Route) => {
      const url = new URL(route.request().url());
      if (url.origin !== LIP_SYNC_ORIGIN) return route.abort('blockedbyclient');
      if (url.pathname === '/') return route.fulfill({ body: LIP_SYNC_PAGE_HTML, contentType: 'text/html' });
      if (url.pathname === '/model') return route.fulfill({ body: Buffer.from(model), contentType: 'application/octet-stream' });
      const batch = url.pathname.startsWith('/frames/') ? batches.get(url.pathname.slice('/frames/'.length)) : undefined;
      if (batch !== undefined) {
        batches.delete(url.pathname.slice('/frames/'.length));
        return route.fulfill({ body: batch, contentType: 'application/octet-stream' });
      }
      const file = files[url.pathname];
      return file === undefined ? route.abort('blockedbyclient') : route.fulfill({ body: readFileSync(file.path), contentType: file.type });
    });
    await page.goto(`${LIP_SYNC_ORIGIN}/`);
    try {
      await page.evaluate((modelKind) => (globalThis as unknown as { physevalLoad(kind: string): Promise<boolean> }).physevalLoad(modelKind), kind);
    } catch (error) {
      throw new LipSyncError('face-model-refused', `${options.faceModelPath}: MediaPipe refused the model as a ${kind} (${firstLine(error)})`, { cause: error });
    }
    let nextBatch = 0;
    return {
      kind,
      async detect(framesRgb, width, height, timesS) {
        const id = String(nextBatch++);
        batches.set(id, Buffer.concat(framesRgb.map((frame) => Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength))));
        const timesMs = timesS.map((timeS) => timeS * 1000);
        return page.evaluate(
          ([batch, w, h, times]) => (globalThis as unknown as { physevalDetect(b: string, w: number, h: number, t: number[]): Promise<Array<FaceSighting | null>> }).physevalDetect(batch, w, h, times),
          [id, width, height, timesMs] as const,
        );
      },
      close: () => browser.close().catch(() => undefined),
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    if (error instanceof LipSyncError) throw error;
    throw new LipSyncError('face-browser-failed', `face detection page: ${firstLine(error)}`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
