import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaError } from '../../media/errors.js';
import { clearToolCache, findFfmpeg, findFfprobe, locateTool } from '../../media/locate.js';
import { fixtureDir } from './fixtures.js';

const fixtures = fixtureDir('locate');
afterAll(() => fixtures.remove());

/** A fake binary: a file with the given mode, in its own directory so PATH tests can point at it. */
function fakeBinary(dirName: string, name: string, mode = 0o755): string {
  const dir = join(fixtures.dir, dirName);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
}

const noPackages = (): string | null => null;

describe('locateTool', () => {
  const physeval = fakeBinary('physeval', 'ffmpeg');
  const generic = fakeBinary('generic', 'ffmpeg');
  const onPath = fakeBinary('bin', 'ffmpeg');
  const fromPackage = fakeBinary('package', 'ffmpeg');
  const probeOnPath = fakeBinary('bin', 'ffprobe');

  it('prefers PHYSEVAL_FFMPEG, then FFMPEG_PATH', () => {
    const env = { PHYSEVAL_FFMPEG: physeval, FFMPEG_PATH: generic, PATH: join(fixtures.dir, 'bin') };
    expect(locateTool('ffmpeg', { env, packagePath: () => fromPackage })).toEqual({ path: physeval, source: 'env' });
    expect(locateTool('ffmpeg', { env: { ...env, PHYSEVAL_FFMPEG: '' }, packagePath: () => fromPackage })).toEqual({ path: generic, source: 'env' });
  });

  it('uses ffmpeg-static before the installer package, and the package before the PATH', () => {
    const env = { PATH: join(fixtures.dir, 'bin') };
    const staticBinary = fakeBinary('static', 'ffmpeg');
    const both = (name: string): string | null => (name === 'ffmpeg-static' ? staticBinary : fromPackage);
    expect(locateTool('ffmpeg', { env, packagePath: both })).toEqual({ path: staticBinary, source: 'ffmpeg-static' });
    const installerOnly = (name: string): string | null => (name === 'ffmpeg-static' ? null : fromPackage);
    expect(locateTool('ffmpeg', { env, packagePath: installerOnly })).toEqual({ path: fromPackage, source: 'installer-package' });
    const missingStatic = (name: string): string | null => (name === 'ffmpeg-static' ? join(fixtures.dir, 'nowhere', 'ffmpeg') : fromPackage);
    expect(locateTool('ffmpeg', { env, packagePath: missingStatic }).source).toBe('installer-package');
    expect(locateTool('ffmpeg', { env, packagePath: noPackages })).toEqual({ path: onPath, source: 'PATH' });
    expect(locateTool('ffprobe', { env, packagePath: noPackages })).toEqual({ path: probeOnPath, source: 'PATH' });
  });

  it('makes a package binary without the execute bit executable', () => {
    const readOnly = fakeBinary('ffprobe-package', 'ffprobe', 0o644);
    expect(locateTool('ffprobe', { env: {}, packagePath: () => readOnly })).toEqual({ path: readOnly, source: 'installer-package' });
  });

  it('says what it tried when nothing is found', () => {
    const failure = (() => {
      try {
        return locateTool('ffprobe', { env: { PATH: join(fixtures.dir, 'empty') }, packagePath: noPackages });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(MediaError);
    expect(failure).toMatchObject({ code: 'ffmpeg-not-found' });
    expect(String(failure)).toMatch(/no ffprobe binary found; tried env PHYSEVAL_FFPROBE\/FFPROBE_PATH \(unset\), @ffprobe-installer\/ffprobe \(not installed\), PATH \(1 directories\)/);
  });

  it('rejects an env var that points to no file or to a file that cannot run', () => {
    const notExecutable = fakeBinary('plain', 'ffmpeg', 0o644);
    expect(() => locateTool('ffmpeg', { env: { PHYSEVAL_FFMPEG: join(fixtures.dir, 'nope') } })).toThrow(/PHYSEVAL_FFMPEG points to no file/);
    // root may execute anything with one x bit; 0644 has none, so this holds for root too.
    expect(() => locateTool('ffmpeg', { env: { FFMPEG_PATH: notExecutable } })).toThrow(/FFMPEG_PATH points to a file that is not executable/);
  });
});

describe('findFfmpeg / findFfprobe', () => {
  it('find the bundled binaries in this repository and cache them', () => {
    clearToolCache();
    expect(findFfmpeg()).toMatch(/ffmpeg$/);
    expect(findFfprobe()).toMatch(/ffprobe$/);
    expect(findFfmpeg()).toBe(findFfmpeg());
  });
});
