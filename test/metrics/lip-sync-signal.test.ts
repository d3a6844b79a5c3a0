import { describe, expect, it } from 'vitest';
import { butterworthBiquad, effectivePairs, estimateLag, laggedCorrelation, parabolicVertex, speechEnvelope, SPEECH_BAND_HZ } from '../../metrics/lip-sync-signal.js';
import { mulberry32 } from '../../runners/sim/prng.js';
import { syllableEnvelope, voiceTrack } from './lip-sync-clip.js';

/** |H(e^{jω})| of a biquad at `hz`. */
function gainAt(q: ReturnType<typeof butterworthBiquad>, hz: number, sampleRate: number): number {
  const w = (2 * Math.PI * hz) / sampleRate;
  const re = (b0: number, b1: number, b2: number): number => b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w);
  const im = (b1: number, b2: number): number => -b1 * Math.sin(w) - b2 * Math.sin(2 * w);
  const num = Math.hypot(re(q.b0, q.b1, q.b2), im(q.b1, q.b2));
  const den = Math.hypot(re(1, q.a1, q.a2), im(q.a1, q.a2));
  return num / den;
}

function tone(hz: number, amplitude: number, durationS: number, sampleRate: number): Float32Array {
  return Float32Array.from({ length: Math.round(durationS * sampleRate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
}

describe('speech band and envelope', () => {
  it('Butterworth sections pass their band, are 1/√2 at the cutoff and stop the other side', () => {
    const sampleRate = 48_000;
    const high = butterworthBiquad('high', 300, sampleRate);
    const low = butterworthBiquad('low', 3000, sampleRate);
    expect(gainAt(high, 300, sampleRate)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(gainAt(low, 3000, sampleRate)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(gainAt(high, 10_000, sampleRate)).toBeCloseTo(1, 2);
    expect(gainAt(low, 20, sampleRate)).toBeCloseTo(1, 4);
    // Second order: −12 dB per octave, so a quarter at one octave past the cutoff, roughly.
    expect(gainAt(high, 75, sampleRate)).toBeLessThan(0.07);
    expect(gainAt(low, 12_000, sampleRate)).toBeLessThan(0.07);
  });

  it('gives the RMS of a tone inside the band at each frame time, NaN where the window leaves the audio', () => {
    const sampleRate = 16_000;
    const audio = { sampleRate, samples: tone(1000, 0.5, 1, sampleRate) };
    const envelope = speechEnvelope(audio, [0.2, 0.5, 0.8, 1.5], 0.04);
    for (const value of envelope.slice(0, 3)) expect(value).toBeCloseTo(0.5 * Math.SQRT1_2, 2);
    expect(envelope[3]).toBeNaN();
  });

  it('leaves out mains hum and hiss outside the speech band', () => {
    const sampleRate = 16_000;
    const hum = speechEnvelope({ sampleRate, samples: tone(50, 0.5, 1, sampleRate) }, [0.5], 0.04)[0]!;
    const hiss = speechEnvelope({ sampleRate, samples: tone(7000, 0.5, 1, sampleRate) }, [0.5], 0.04)[0]!;
    expect(hum / (0.5 * Math.SQRT1_2)).toBeLessThan(0.05);
    expect(hiss / (0.5 * Math.SQRT1_2)).toBeLessThan(0.25);
    expect(SPEECH_BAND_HZ.low).toBeLessThan(SPEECH_BAND_HZ.high);
  });
});

describe('offset from the cross-correlation of mouth and speech', () => {
  it('parabolicVertex finds the vertex of a sampled parabola', () => {
    for (const vertex of [-0.4, -0.1, 0, 0.23, 0.5]) {
      const f = (x: number): number => 1 - 0.3 * (x - vertex) ** 2;
      expect(parabolicVertex(f(-1), f(0), f(1))).toBeCloseTo(vertex, 12);
    }
    expect(parabolicVertex(1, 0.5, 1)).toBe(0);
  });

  it('laggedCorrelation is 1 for a copy shifted by the lag, skips NaN and needs enough pairs', () => {
    const x = [0, 1, 3, 2, 5, 4, 1, 0, 2, 3];
    const y = [9, 9, ...x];
    expect(laggedCorrelation(x, y, 2, 5)).toBeCloseTo(1, 12);
    const gappy = [...y];
    gappy[5] = Number.NaN;
    expect(laggedCorrelation(x, gappy, 2, 5)).toBeCloseTo(1, 12);
    expect(laggedCorrelation(x, y, 2, 11)).toBeNaN();
  });

  // Mouth opening m(t) = E(t) at the frames; speech envelope a(t) = E(t − d): the sound late by d.
  const cases = [
    { fps: 24, offsetMs: -230 },
    { fps: 25, offsetMs: 0 },
    { fps: 25, offsetMs: 17 },
    { fps: 30, offsetMs: 95 },
    { fps: 30, offsetMs: -41 },
    { fps: 60, offsetMs: 310 },
  ];
  for (const { fps, offsetMs } of cases) {
    it(`finds a sound ${offsetMs} ms late at ${fps} fps within a sixth of a frame`, () => {
      const envelope = syllableEnvelope(6, fps + offsetMs);
      const timesS = Array.from({ length: 5 * fps }, (_, i) => 0.5 + i / fps);
      const mouth = timesS.map((t) => envelope(t));
      const speech = timesS.map((t) => envelope(t - offsetMs / 1000));
      const lag = estimateLag(mouth, speech, fps, 500, 24);
      expect(lag).not.toBeNull();
      expect(Math.abs(lag!.offsetMs - offsetMs)).toBeLessThan(1000 / fps / 6);
      // Samples up to half a frame apart at the best whole-frame lag: narrow syllables lose some r.
      expect(lag!.peakCorrelation).toBeGreaterThan(0.85);
      expect(lag!.atSearchEdge).toBe(false);
    });
  }

  it('holds on the envelope of real audio with a noisy mouth measure (4 s at 25 fps), confidently', () => {
    const fps = 25;
    const sampleRate = 16_000;
    const next = mulberry32(5);
    for (const offsetMs of [-120, 60, 180]) {
      const envelope = syllableEnvelope(5, 11);
      const audio = { sampleRate, samples: voiceTrack(envelope, 4.5, offsetMs, sampleRate) };
      const timesS = Array.from({ length: 4 * fps }, (_, i) => 0.25 + i / fps);
      const mouth = timesS.map((t) => envelope(t) + 0.1 * (next() - 0.5));
      const lag = estimateLag(mouth, speechEnvelope(audio, timesS, 1 / fps), fps, 500, 24)!;
      expect(Math.abs(lag.offsetMs - offsetMs)).toBeLessThan(10);
      expect(lag.confidence).toBeGreaterThan(0.99);
    }
  });

  it('flags a best lag at the edge of the window, and gives nothing for a still mouth', () => {
    const fps = 25;
    // One broad movement and its sound 900 ms later: the correlation still grows at the +500 ms edge.
    const bump = (t: number): number => Math.exp(-(((t - 2) / 0.4) ** 2));
    const timesS = Array.from({ length: 100 }, (_, i) => 1 + i / fps);
    const lag = estimateLag(timesS.map((t) => bump(t)), timesS.map((t) => bump(t - 0.9)), fps, 500, 24)!;
    expect(lag.atSearchEdge).toBe(true);
    expect(lag.offsetMs).toBe(480);
    const envelope = syllableEnvelope(6, 3);
    expect(estimateLag(timesS.map(() => 0.3), timesS.map((t) => envelope(t)), fps, 500, 24)).toBeNull();
  });

  it('is confident beyond 0.95 for at most 5% of unrelated mouth and speech, whatever the length', () => {
    const fps = 25;
    for (const durationS of [2, 4, 8]) {
      const timesS = Array.from({ length: durationS * fps }, (_, i) => i / fps);
      let confident = 0;
      const trials = 100;
      for (let seed = 0; seed < trials; seed++) {
        const mouth = syllableEnvelope(durationS + 1, 1000 + seed);
        const speech = syllableEnvelope(durationS + 1, 5000 + seed);
        if (estimateLag(timesS.map(mouth), timesS.map(speech), fps, 500, 24)!.confidence > 0.95) confident++;
      }
      expect(confident / trials, `${durationS} s`).toBeLessThanOrEqual(0.05);
    }
  });

  it('effectivePairs counts a smooth series as fewer independent samples than frames', () => {
    const next = mulberry32(9);
    const white = Array.from({ length: 200 }, () => next() - 0.5);
    expect(effectivePairs(white, white, 200, 12)).toBeGreaterThan(100);
    const smooth = Array.from({ length: 200 }, (_, i) => Math.sin(i / 6));
    expect(effectivePairs(smooth, smooth, 200, 12)).toBeLessThan(30);
  });
});
