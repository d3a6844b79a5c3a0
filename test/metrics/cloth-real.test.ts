import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../metrics/analyze-video.js';
import { clothMetric, type ClothValue } from '../../metrics/cloth.js';
import { expectationsSchema } from '../../prompts/schema.js';

// Real footage, where the team keeps it: LikePhys's continuum clips (512x512, 2 s, a cloth dropped over a cone).
const FOLDER = '/work/shared/videos/YuanJianhao508__LikePhys/static/videos';
const VALID = join(FOLDER, 'continuum_valid.mp4');
const present = existsSync(VALID);
if (!present) console.warn(`cloth real-footage test skipped: ${VALID} is absent`);

// The clip states no size; 1 m only sets the scale of the free-fall check.
const clothExpectations = expectationsSchema.parse({ cloth: { material: 'cotton', widthM: 1, heightM: 1 } });

describe.skipIf(!present)('the cloth metric on real footage (LikePhys continuum_valid.mp4)', () => {
  it('a cloth draping over a cone raises no cloth failure', async () => {
    const analysis = await analyzeVideo(VALID, { expect: clothExpectations, metrics: [clothMetric] });
    expect(analysis.errors).toEqual({});
    const value = analysis.outcomes['cloth']?.value as unknown as ClothValue;
    expect(value.clothPoints).toBeGreaterThanOrEqual(clothMetric.defaultThresholds['minClothPoints'] ?? Infinity);
    expect(analysis.failures).toEqual([]);
  });
});
