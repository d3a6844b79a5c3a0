import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { MediaError } from './errors.js';

export type MediaTool = 'ffmpeg' | 'ffprobe';

/** Where a binary was found, for logs and `physeval doctor`-style output. */
export interface LocatedTool {
  path: string;
  source: 'env' | 'ffmpeg-static' | 'installer-package' | 'PATH';
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** Returns the binary path an npm package exports, or null when it is absent. Injected by tests. */
  packagePath?: (packageName: string) => string | null;
}

const envVarsByTool: Record<MediaTool, readonly string[]> = {
  ffmpeg: ['PHYSEVAL_FFMPEG', 'FFMPEG_PATH'],
  ffprobe: ['PHYSEVAL_FFPROBE', 'FFPROBE_PATH'],
};

/** ffmpeg-static ships ffmpeg only; the installer packages ship one binary each. */
const packagesByTool: Record<MediaTool, readonly { name: string; source: LocatedTool['source'] }[]> = {
  ffmpeg: [
    { name: 'ffmpeg-static', source: 'ffmpeg-static' },
    { name: '@ffmpeg-installer/ffmpeg', source: 'installer-package' },
  ],
  ffprobe: [{ name: '@ffprobe-installer/ffprobe', source: 'installer-package' }],
};

const requireFromHere = createRequire(import.meta.url);

/** Loads an optional package inside try/catch: ffmpeg-static is an optionalDependency and may be absent. */
function installedPackagePath(packageName: string): string | null {
  try {
    const exported: unknown = requireFromHere(packageName);
    if (typeof exported === 'string') return exported;
    if (typeof exported === 'object' && exported !== null && 'path' in exported && typeof exported.path === 'string') {
      return exported.path;
    }
    return null;
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The npm ffprobe binary can arrive as 0744 or 0644 when its install script was blocked: fix it if we may. */
function makeExecutable(path: string): boolean {
  if (isExecutable(path)) return true;
  try {
    chmodSync(path, 0o755);
  } catch {
    return false;
  }
  return isExecutable(path);
}

/**
 * Finds ffmpeg or ffprobe, uncached. Order: env var (PHYSEVAL_FFMPEG, then FFMPEG_PATH; likewise
 * for ffprobe), ffmpeg-static, @ffmpeg-installer/@ffprobe-installer, then the PATH. An env var that
 * is set but does not point to an executable file is an error, not a silent fallback.
 */
export function locateTool(tool: MediaTool, options: LocateOptions = {}): LocatedTool {
  const env = options.env ?? process.env;
  const packagePath = options.packagePath ?? installedPackagePath;
  const tried: string[] = [];

  for (const name of envVarsByTool[tool]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (!isFile(value)) throw new MediaError('ffmpeg-not-found', value, `${name} points to no file`);
    if (!isExecutable(value)) throw new MediaError('ffmpeg-not-found', value, `${name} points to a file that is not executable`);
    return { path: value, source: 'env' };
  }
  tried.push(`env ${envVarsByTool[tool].join('/')} (unset)`);

  for (const candidate of packagesByTool[tool]) {
    const path = packagePath(candidate.name);
    if (path === null) {
      tried.push(`${candidate.name} (not installed)`);
    } else if (!isFile(path)) {
      tried.push(`${candidate.name} (${path} missing)`);
    } else if (!makeExecutable(path)) {
      tried.push(`${candidate.name} (${path} not executable)`);
    } else {
      return { path, source: candidate.source };
    }
  }

  const pathDirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of pathDirs) {
    const path = join(dir, tool);
    if (isFile(path) && isExecutable(path)) return { path, source: 'PATH' };
  }
  tried.push(`PATH (${pathDirs.length} directories)`);

  throw new MediaError('ffmpeg-not-found', tool, `no ${tool} binary found; tried ${tried.join(', ')}`);
}

const cache = new Map<MediaTool, string>();

function cachedTool(tool: MediaTool): string {
  const known = cache.get(tool);
  if (known !== undefined) return known;
  const { path } = locateTool(tool);
  cache.set(tool, path);
  return path;
}

/** Path of the ffmpeg binary (cached after the first call). */
export function findFfmpeg(): string {
  return cachedTool('ffmpeg');
}

/** Path of the ffprobe binary (cached after the first call). */
export function findFfprobe(): string {
  return cachedTool('ffprobe');
}

/** Forgets the cached paths, for tests that change the environment. */
export function clearToolCache(): void {
  cache.clear();
}
