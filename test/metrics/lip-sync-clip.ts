/**
 * A synthetic talking clip for the lip-sync tests: a drawn face whose mouth opens with a known
 * syllable envelope, and a voice-band sound whose loudness follows the same envelope shifted by a
 * known offset (offsetMs = audio − video: positive, the sound comes late).
 */
import { mulberry32 } from '../../runners/sim/prng.js';

/** A smooth syllable-rate envelope in [0, 1]: raised-cosine bumps of random height at ~4 per second. */
export function syllableEnvelope(durationS: number, seed: number): (timeS: number) => number {
  const next = mulberry32(seed);
  const bumps: Array<{ centreS: number; halfWidthS: number; height: number }> = [];
  for (let t = 0.15; t < durationS + 0.5; t += 0.18 + 0.14 * next()) {
    bumps.push({ centreS: t, halfWidthS: 0.07 + 0.05 * next(), height: 0.35 + 0.65 * next() });
  }
  return (timeS) => {
    let value = 0;
    for (const bump of bumps) {
      const u = (timeS - bump.centreS) / bump.halfWidthS;
      if (Math.abs(u) < 1) value = Math.max(value, bump.height * 0.5 * (1 + Math.cos(Math.PI * u)));
    }
    return value;
  };
}

/** Voiced sound: a 140 Hz buzz (harmonics to 3 kHz) with amplitude envelope(t − offset). */
export function voiceTrack(envelope: (timeS: number) => number, durationS: number, offsetMs: number, sampleRate: number): Float32Array {
  const samples = new Float32Array(Math.round(durationS * sampleRate));
  const f0 = 140;
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    let buzz = 0;
    for (let h = 1; h * f0 < 3000; h++) buzz += Math.sin(2 * Math.PI * h * f0 * t) / h;
    samples[i] = 0.25 * envelope(t - offsetMs / 1000) * buzz;
  }
  return samples;
}

/** One frame: a skin-coloured face with eyes, brows and nose, mouth open by `opening` (0..1) of its maximum. */
export function drawFace(width: number, height: number, opening: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const cx = width / 2;
  const cy = height / 2;
  const faceRx = height * 0.3;
  const faceRy = height * 0.4;
  const inEllipse = (x: number, y: number, ex: number, ey: number, rx: number, ry: number): boolean =>
    ((x - ex) / rx) ** 2 + ((y - ey) / ry) ** 2 <= 1;
  const mouthY = cy + faceRy * 0.5;
  const mouthRx = faceRx * 0.38;
  const mouthRy = Math.max(0.5, faceRy * 0.12 * opening);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let colour: [number, number, number] = [70, 90, 110];
      if (inEllipse(x, y, cx, cy, faceRx, faceRy)) colour = [224, 172, 140];
      for (const side of [-1, 1]) {
        const ex = cx + side * faceRx * 0.4;
        const ey = cy - faceRy * 0.15;
        if (inEllipse(x, y, ex, ey - faceRy * 0.22, faceRx * 0.25, faceRy * 0.04)) colour = [60, 40, 30];
        if (inEllipse(x, y, ex, ey, faceRx * 0.2, faceRy * 0.09)) colour = [245, 245, 245];
        if (inEllipse(x, y, ex, ey, faceRx * 0.08, faceRy * 0.08)) colour = [40, 30, 25];
      }
      if (inEllipse(x, y, cx, cy + faceRy * 0.15, faceRx * 0.1, faceRy * 0.16)) colour = [200, 140, 112];
      if (inEllipse(x, y, cx, mouthY, mouthRx * 1.15, mouthRy + faceRy * 0.05)) colour = [170, 70, 70];
      if (inEllipse(x, y, cx, mouthY, mouthRx, mouthRy)) colour = [50, 15, 20];
      rgb.set(colour, 3 * (y * width + x));
    }
  }
  return rgb;
}
