import writeFileAtomic from 'write-file-atomic';
import { encodeVideo } from '../../media/encode.js';
import type { AudioTrack } from '../../media/types.js';
import type { Prompt } from '../../prompts/schema.js';
import { AUDIO_DEFAULTS, synthesizeAudio, type ImpactSound } from './audio.js';
import { renderBackground } from './background.js';
import { cameraShakeOffsets, chooseCamera, toPixels, translateFrame, type Camera } from './camera.js';
import { defectTiming, defectValueProblem, shapeAxisRatio, withColourDefect, withPhysicsDefect } from './defects.js';
import type { Rgb } from './color.js';
import { drawBall, type DrawnBall } from './draw-ball.js';
import { SimError } from './errors.js';
import { resolveSettings, type ClipSettings, type SimOptions } from './options.js';
import { ballPositionAt, simulate, type Simulation } from './physics.js';
import { prepareClothClip } from './cloth/prepare-cloth-clip.js';
import { isClothPrompt } from './cloth/cloth-scene.js';
import { prepareFluidClip } from './fluid/prepare-fluid-clip.js';
import { isFluidPrompt } from './fluid/fluid-scene.js';
import { buildScene, isBallCategory, type Scene } from './scene.js';
import { SensorNoise } from './sensor-noise.js';
import { DEFECTS, type GroundTruth, type PlantedDefect, type TruthObject, type TruthSample } from './truth.js';
import { Watermark } from './watermark.js';

/** `clip.mp4` → `clip.truth.json` (a path without `.mp4` gets the suffix appended). */
export function truthPathFor(videoPath: string): string {
  return videoPath.endsWith('.mp4') ? `${videoPath.slice(0, -'.mp4'.length)}.truth.json` : `${videoPath}.truth.json`;
}

/** Everything needed to write a clip: its truth, a fresh frame sequence and the soundtrack. */
export interface PreparedClip {
  truth: GroundTruth;
  settings: ClipSettings;
  /** RGB24 frames in order; each call starts a new, identical sequence. */
  frames(): Iterable<Uint8Array>;
  audio: AudioTrack | null;
}

/** The planted defect with its start time, or null; refuses values and defects that make no sense here. */
function plantDefect(prompt: Prompt, options: SimOptions, ideal: Simulation, settings: ClipSettings): PlantedDefect | null {
  const request = options.defect ?? null;
  if (request === null) return null;
  const value = request.value ?? DEFECTS[request.code].defaultValue;
  const valueProblem = defectValueProblem(request.code, value);
  if (valueProblem !== null) throw new SimError('invalid-defect-value', prompt.id, valueProblem);
  const timing = defectTiming(request.code, value, ideal, settings);
  if ('problem' in timing) throw new SimError('defect-not-applicable', prompt.id, timing.problem);
  return { code: request.code, value, atS: timing.atS };
}

/**
 * Sideways jump of a teleport, VALUE × width, in the direction that keeps the rest of the drawn
 * path in the frame (or, when neither does, the one that leaves less of it outside).
 */
function teleportShiftPx(after: readonly TruthSample[], value: number, width: number): number {
  const jumpPx = value * width;
  const overflow = (shiftPx: number): number =>
    after.reduce((sum, [, xPx, , radiusPx]) => sum + Math.max(0, xPx + shiftPx + radiusPx - (width - 1), radiusPx - (xPx + shiftPx)), 0);
  return overflow(jumpPx) <= overflow(-jumpPx) ? jumpPx : -jumpPx;
}

/** Per-frame samples of every ball as drawn: physics positions, then the drawing defects of ball 0. */
function drawnSamples(simulation: Simulation, camera: Camera, settings: ClipSettings, defect: PlantedDefect | null): TruthSample[][] {
  const { fps, frameCount, width, durationS } = settings;
  const samples = simulation.balls.map((history, ballIndex) => {
    const radiusPx = (simulation.spec.balls[ballIndex]?.radiusM ?? 0) * camera.pxPerM;
    return Array.from({ length: frameCount }, (_, k): TruthSample => {
      const timeS = k / fps;
      const { xM, yM } = ballPositionAt(history, timeS);
      const { xPx, yPx } = toPixels(camera, xM, yM);
      return [timeS, xPx, yPx, radiusPx, 1];
    });
  });
  const main = samples[0];
  if (main === undefined || defect === null) return samples;
  if (defect.code === 'size-change') {
    for (const sample of main) sample[3] *= 1 + (defect.value - 1) * (sample[0] / durationS);
  } else if (defect.code === 'vanish') {
    for (const sample of main) if (sample[0] >= defect.atS - 1e-9 && sample[0] < defect.atS + defect.value - 1e-9) sample[4] = 0;
  } else if (defect.code === 'teleport') {
    const after = main.slice(Math.round(defect.atS * fps));
    const shiftPx = teleportShiftPx(after, defect.value, width);
    for (const sample of after) sample[1] += shiftPx;
  }
  return samples;
}

function impactSounds(simulation: Simulation, offsetS: number): ImpactSound[] {
  return simulation.contacts.map((contact) => ({
    startS: contact.timeS + offsetS,
    speedMS: contact.normalSpeedMS,
    diameterM: 2 * Math.min(...contact.balls.map((index) => simulation.spec.balls[index]?.radiusM ?? Infinity)),
  }));
}

function truthObjects(scene: Scene, simulation: Simulation, samples: TruthSample[][]): TruthObject[] {
  return scene.balls.map((ball, index) => {
    const contacts = simulation.balls[index]?.contacts ?? [];
    return {
      id: index,
      name: ball.name,
      diameterM: ball.diameterM,
      massKg: ball.massKg,
      colorRgb: ball.colorRgb,
      restitution: contacts.map((contact) => contact.restitution),
      contactsS: contacts.map((contact) => contact.timeS),
      frames: samples[index] ?? [],
    };
  });
}

/**
 * A ball clip that goes on from one the simulator rendered of the same prompt and seed, `sourceDurationS`
 * long: the scene is laid out and the camera framed as for the source, and the physics runs on to the
 * clip's end, so every frame the two clips share is drawn the same.
 */
export interface ContinuedFrom {
  sourceDurationS: number;
}

/**
 * Simulates a ball, cloth or fluid prompt without writing anything: the exact physics, the camera, the
 * truth, the frames (drawn lazily) and the audio. `simulateClip` encodes what this returns.
 */
export function prepareClip(prompt: Prompt, options: SimOptions = {}, continuedFrom?: ContinuedFrom): PreparedClip {
  if (((options.shakePx ?? 0) > 0 || (options.lightingRamp ?? 0) !== 0 || options.ballColorRgb !== undefined) && (isClothPrompt(prompt) || isFluidPrompt(prompt))) {
    throw new SimError('invalid-option', prompt.id, 'camera shake, lighting ramps and ball colours are rendered for ball scenes only, not cloth or fluids');
  }
  if (options.defect?.target !== undefined && !isFluidPrompt(prompt)) {
    throw new SimError('defect-not-applicable', prompt.id, `a defect on the ${options.defect.target} only is for splash scenes, not this ${prompt.category} scene`);
  }
  if (continuedFrom !== undefined && !isBallCategory(prompt)) {
    throw new SimError('invalid-option', prompt.id, 'the simulator continues rigid-ball clips only, not cloth or fluids');
  }
  if (isClothPrompt(prompt)) return prepareClothClip(prompt, options);
  if (isFluidPrompt(prompt)) return prepareFluidClip(prompt, options);
  if (!isBallCategory(prompt)) {
    throw new SimError('unsupported-category', prompt.id, `the simulator renders rigid balls, cloth and fluids (with expect.fluid) only, not this ${prompt.category} scene`);
  }
  const settings = resolveSettings(prompt, options);
  const built = buildScene(prompt, continuedFrom?.sourceDurationS ?? settings.durationS);
  const { ballColorRgb } = settings;
  const scene = ballColorRgb === null ? built : { ...built, balls: built.balls.map((ball) => ({ ...ball, colorRgb: [...ballColorRgb] as Rgb })) };
  const world = { ...scene.world, durationS: settings.durationS };
  const ideal = simulate(world);
  const defect = plantDefect(prompt, options, ideal, settings);
  const simulation = defect === null ? ideal : simulate(withPhysicsDefect(world, defect.code, defect.value));
  const { width, height, fps, seed } = settings;
  // A continuation keeps the view of its source: the ideal motion of the source's length framed.
  const camera = chooseCamera(continuedFrom === undefined ? simulation : simulate(scene.world), width, height);
  const samples = drawnSamples(simulation, camera, settings, defect);
  const offsetsPx = settings.shakePx > 0 ? cameraShakeOffsets(settings.shakePx, seed, settings.frameCount, fps) : null;
  // The truth holds positions as seen: the drawn (scene) position moved by the camera offset.
  const seenSamples =
    offsetsPx === null
      ? samples
      : samples.map((ballSamples) =>
          ballSamples.map(([timeS, xPx, yPx, radiusPx, visible], k): TruthSample => {
            const [dxPx, dyPx] = offsetsPx[k] ?? [0, 0];
            return [timeS, xPx + dxPx, yPx + dyPx, radiusPx, visible];
          }),
        );

  const offsetMs = defect?.code === 'av-desync' ? defect.value : 0;
  const sampleRate = AUDIO_DEFAULTS.sampleRate;
  const sounds = impactSounds(simulation, offsetMs / 1000);
  const audio: AudioTrack | null = settings.audio ? { sampleRate, samples: synthesizeAudio(sounds, settings.durationS, seed, sampleRate) } : null;

  const truth: GroundTruth = {
    schemaVersion: 1,
    promptId: prompt.id,
    seed,
    width,
    height,
    fps,
    frameCount: settings.frameCount,
    durationS: settings.durationS,
    pxPerM: camera.pxPerM,
    gravityMS2: scene.world.gravityMS2,
    gravityPxS2: scene.world.gravityMS2 * camera.pxPerM,
    floorYPx: camera.floorYPx,
    objects: truthObjects(scene, simulation, seenSamples),
    audio:
      audio === null
        ? null
        : {
            sampleRate,
            offsetMs,
            // The sounds that start within the clip, in time order.
            impactsS: sounds.map((sound) => sound.startS).filter((startS) => startS >= 0 && startS < settings.durationS),
          },
    defect,
    ...(offsetsPx === null ? {} : { cameraOffsetsPx: offsetsPx }),
    ...(settings.lightingRamp === 0 ? {} : { lightingRamp: settings.lightingRamp }),
  };

  const flickerGain = defect?.code === 'flicker' ? 1 + defect.value : 1;
  const rampGain = (k: number): number => 1 + (settings.lightingRamp * k) / Math.max(1, settings.frameCount - 1);
  function* frames(): Generator<Uint8Array> {
    const background = renderBackground({ width, height }, camera, scene.table, settings.texture, seed);
    const noise = new SensorNoise(settings.noiseSigma, seed);
    const watermark = settings.watermark ? new Watermark({ width, height }, seed) : null;
    for (let k = 0; k < settings.frameCount; k += 1) {
      const drawn = background.slice();
      samples.forEach((ballSamples, index) => {
        const sample = ballSamples[k];
        const color = withColourDefect(scene.balls[index]?.colorRgb, index, k / fps, defect);
        if (sample === undefined || color === undefined || sample[4] === 0) return;
        const ball: DrawnBall = { xPx: sample[1], yPx: sample[2], radiusPx: sample[3], colorRgb: color, axisRatio: shapeAxisRatio(index, k / fps, defect) };
        drawBall(drawn, { width, height }, ball);
      });
      // The camera moves before the sensor adds its noise; the watermark is laid over the image.
      const offset = offsetsPx?.[k];
      const frame = offset === undefined ? drawn : translateFrame(drawn, { width, height }, offset[0], offset[1]);
      // Odd frames from the first one on get the planted exposure step, on top of the slow ramp.
      const gain = (k % 2 === 1 ? flickerGain : 1) * rampGain(k);
      if (settings.noiseSigma > 0 || gain !== 1) noise.apply(frame, gain);
      watermark?.draw(frame, k / fps);
      yield frame;
    }
  }
  return { truth, settings, frames, audio };
}

/**
 * Renders a ball, cloth or fluid prompt as an exact clip: writes `outPath` (H.264 MP4, AAC audio unless disabled)
 * and its ground truth at `truthPathFor(outPath)`, and returns the truth. Same prompt, options and
 * seed give the same frames, audio and truth.
 */
export async function simulateClip(prompt: Prompt, outPath: string, options: SimOptions = {}): Promise<GroundTruth> {
  const clip = prepareClip(prompt, options);
  const { width, height, fps, crf } = clip.settings;
  await encodeVideo(clip.frames(), { outPath, width, height, fps, crf, audio: clip.audio });
  await writeFileAtomic(truthPathFor(outPath), `${JSON.stringify(clip.truth, null, 1)}\n`);
  return clip.truth;
}
