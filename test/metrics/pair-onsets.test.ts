import { describe, it, expect } from 'vitest';
import { pairOnsets } from '../../metrics/pair-onsets.js';

const contactsS = [0.412, 1.031, 1.522, 1.913, 2.226];

describe('pairOnsets', () => {
  it('recovers a planted late offset exactly, with every impact paired', () => {
    const result = pairOnsets(contactsS, contactsS.map((t) => t + 0.15));
    expect(result.offsetMs).toBeCloseTo(150, 6);
    expect(result.pairs).toHaveLength(5);
    expect(result.unpairedAudioS).toEqual([]);
    expect(result.unpairedVideoS).toEqual([]);
    expect(result.confidence).toBeGreaterThan(0.9);
  });

  it('takes the median of jittered differences and ignores a sound with no visible cause', () => {
    const jitterMs = [3, -2, 1, -4, 0];
    const audio = contactsS.map((t, i) => t - 0.2 + jitterMs[i]! / 1000);
    audio.push(0.9); // a door slam nobody sees
    const result = pairOnsets(contactsS, audio);
    expect(result.offsetMs).toBeCloseTo(-200, 6);
    expect(result.unpairedAudioS).toEqual([0.9]);
    expect(result.madMs).toBeCloseTo(2, 6);
    expect(result.confidence).toBeGreaterThan(0.7);
    expect(result.confidence).toBeLessThan(0.8);
  });

  it('counts impacts without sound, and trusts a pairing less the fewer events it explains', () => {
    const result = pairOnsets(contactsS, contactsS.slice(0, 3).map((t) => t + 0.04));
    expect(result.offsetMs).toBeCloseTo(40, 6);
    expect(result.confidence).toBeLessThan(pairOnsets(contactsS, contactsS.map((t) => t + 0.04)).confidence * Math.sqrt(3 / 5) + 1e-9);
    expect(result.unpairedVideoS).toEqual(contactsS.slice(3));
  });

  it('lets the closest impact take a sound, not a spurious one just before it', () => {
    // A false contact at 0.533 s lies 20 ms before the real one at 0.5522 s; the sound is at 0.553 s.
    const result = pairOnsets([0.0739, 0.5333, 0.5522, 1.072, 2.1432, 2.7128], [0.553, 1.4378, 2.1456, 2.7119]);
    expect(result.pairs).toEqual([
      { videoS: 0.5522, audioS: 0.553 },
      { videoS: 2.1432, audioS: 2.1456 },
      { videoS: 2.7128, audioS: 2.7119 },
    ]);
    expect(result.offsetMs).toBeCloseTo(0.8, 6);
  });

  it('is unsure when one impact could match two sounds', () => {
    const result = pairOnsets([1.0], [0.9, 1.3]);
    expect(result.offsetMs).toBeCloseTo(-100, 6);
    expect(result.confidence).toBeCloseTo(0.25 * Math.SQRT1_2, 6);
  });

  it('gives no offset when nothing lies within the search window', () => {
    const result = pairOnsets([0.5], [1.5]);
    expect(result.offsetMs).toBeNull();
    expect(result.confidence).toBe(0);
    expect(pairOnsets([], [1]).offsetMs).toBeNull();
  });
});
