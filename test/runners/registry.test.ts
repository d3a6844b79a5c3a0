import { describe, expect, it } from 'vitest';
import { clipCostUsd, resolvePriceUsdPerS } from '../../runners/pricing.js';
import { nearestSoraSeconds } from '../../runners/providers/openai.js';
import { createGenerator, knownGeneratorIds, RegistryError } from '../../runners/registry.js';
import { canonicalJson, videoCacheDir, videoCacheKey } from '../../runners/video-cache.js';

describe('the generator registry', () => {
  it('creates fixed ids and family members, and lists every known one', () => {
    expect(createGenerator('openai:sora-2').info).toMatchObject({ id: 'openai:sora-2', priceUsdPerS: 0.1, needsKey: true });
    expect(createGenerator('azure:sora-2').info.priceUsdPerS).toBe(0.1);
    expect(createGenerator('runway:gen4.5').info.id).toBe('runway:gen4.5');
    expect(knownGeneratorIds()).toEqual(expect.arrayContaining(['sim:ideal', 'openai:sora-2-pro', 'google:veo-3.1', 'runway:gen4_turbo', 'fal:fal-ai/pika/v2.2/text-to-video']));
  });

  it('suggests the nearest id for a typo, inside a family too', () => {
    expect(() => createGenerator('openai:sora2')).toThrow("unknown generator 'openai:sora2' (did you mean 'openai:sora-2'?)");
    expect(() => createGenerator('runway:gen45')).toThrow(/did you mean 'runway:gen4.5'\?\); runway takes runway:<model>/);
    expect(() => createGenerator('files:')).toThrow(RegistryError);
  });

  it('applies price overrides by id, then by family', () => {
    const settings = { width: 320, height: 180, fps: 30, maxDurationS: 2, prices: { 'openai:sora-2': 0.08, 'runway:*': 0.02 } };
    expect(createGenerator('openai:sora-2', settings).info.priceUsdPerS).toBe(0.08);
    expect(createGenerator('runway:gen4.5', settings).info.priceUsdPerS).toBe(0.02);
    expect(resolvePriceUsdPerS({ id: 'openai:sora-2-pro', priceUsdPerS: 0.3 }, settings.prices)).toBe(0.3);
    expect(clipCostUsd(12, 0.3)).toBe(3.6);
  });
});

describe('nearestSoraSeconds', () => {
  it('rounds to 4, 8 or 12, ties to the longer clip', () => {
    expect([1, 3, 5, 6, 7, 10, 30].map(nearestSoraSeconds)).toEqual([4, 4, 4, 8, 8, 12, 12]);
  });
});

describe('the video cache key', () => {
  it('ignores key order and changes with any parameter or the seed', () => {
    const identity = { provider: 'openai', generatorId: 'openai:sora-2', body: { model: 'sora-2', seconds: '4', size: '1280x720' }, seed: 1 };
    const key = videoCacheKey(identity);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(videoCacheKey({ ...identity, body: { size: '1280x720', seconds: '4', model: 'sora-2' } })).toBe(key);
    expect(videoCacheKey({ ...identity, body: { ...identity.body, seconds: '8' } })).not.toBe(key);
    expect(videoCacheKey({ ...identity, seed: 2 })).not.toBe(key);
    expect(canonicalJson({ b: [1, { d: 2, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[1,{"d":2}]}');
  });

  it('lives in PHYSEVAL_CACHE_DIR, else under XDG_CACHE_HOME', () => {
    expect(videoCacheDir({ PHYSEVAL_CACHE_DIR: '/tmp/pc' })).toBe('/tmp/pc');
    expect(videoCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/physeval/videos');
  });
});
