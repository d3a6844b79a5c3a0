import type { Prompt } from '../../../prompts/schema.js';
import { renderBackground } from '../background.js';
import { SimError } from '../errors.js';
import { resolveSettings, type SimOptions } from '../options.js';
import { SensorNoise } from '../sensor-noise.js';
import type { PreparedClip } from '../simulate-clip.js';
import { DEFECTS, type ClothTruth, type GroundTruth, type PlantedDefect } from '../truth.js';
import { Watermark } from '../watermark.js';
import { chooseClothCamera, projectCloth } from './cloth-camera.js';
import { CLOTH_DEFECT_CODES, clothDefectTiming, clothDefectValueProblem, clothPhysicsDefect, isClothDefect } from './cloth-defects.js';
import { simulateCloth, type ClothSimulation } from './cloth-physics.js';
import { buildClothScene } from './cloth-scene.js';
import { centreOfMassAt, kineticEnergyAt, maxStrainAt, settleTimeS, stretchAt } from './cloth-truth.js';
import { drawBox, drawCloth, drawPole } from './draw-cloth.js';

/** The truth's cloth block from a simulation, with centres projected through the clip's camera. */
function clothTruth(simulation: ClothSimulation, project: (xM: number, yM: number, zM: number) => { xPx: number; yPx: number }): ClothTruth {
  const { scene, fps, positions } = simulation;
  const frames = positions.map((_, k) => k);
  const kineticEnergyJ = frames.map((k) => kineticEnergyAt(simulation, k));
  return {
    widthM: scene.widthM,
    lengthM: scene.lengthM,
    massKg: scene.massKg,
    nodesU: scene.nodesU,
    nodesV: scene.nodesV,
    centerPx: frames.map((k) => {
      const { xM, yM, zM } = centreOfMassAt(simulation, k);
      const { xPx, yPx } = project(xM, yM, zM);
      return [k / fps, xPx, yPx];
    }),
    maxStrain: frames.map((k) => maxStrainAt(simulation, k)),
    stretch: frames.map((k) => stretchAt(simulation, k)),
    kineticEnergyJ,
    firstContactS: simulation.firstContactS,
    settleS: settleTimeS(kineticEnergyJ, scene.massKg, fps),
  };
}

/**
 * Simulates a cloth prompt without writing anything: the mass-spring cloth, an oblique fixed
 * camera, the truth and the frames (drawn lazily). Cloth clips are silent.
 */
export function prepareClothClip(prompt: Prompt, options: SimOptions = {}): PreparedClip {
  const settings = resolveSettings(prompt, { ...options, audio: false });
  const { width, height, fps, seed, frameCount } = settings;
  const scene = buildClothScene(prompt);
  const gravityMS2 = prompt.expect.gravityMS2;
  const request = options.defect ?? null;
  if (request !== null && !isClothDefect(request.code)) {
    throw new SimError('defect-not-applicable', prompt.id, `${request.code} is a rigid-ball defect; cloth clips take ${CLOTH_DEFECT_CODES.join(', ')}`);
  }
  const ideal = simulateCloth(scene, gravityMS2, fps, frameCount);
  let defect: PlantedDefect | null = null;
  let simulation = ideal;
  if (request !== null && isClothDefect(request.code)) {
    const value = request.value ?? DEFECTS[request.code].defaultValue;
    const problem = clothDefectValueProblem(request.code, value);
    if (problem !== null) throw new SimError('invalid-defect-value', prompt.id, problem);
    const timing = clothDefectTiming(request.code, ideal, settings);
    if ('problem' in timing) throw new SimError('defect-not-applicable', prompt.id, timing.problem);
    defect = { code: request.code, value, atS: timing.atS };
    simulation = simulateCloth(scene, gravityMS2, fps, frameCount, clothPhysicsDefect(request.code, value, timing.atS, scene.widthM));
  }
  // Framed on the exact cloth, so a defect does not change the view.
  const camera = chooseClothCamera(ideal, width, height);
  const truth: GroundTruth = {
    schemaVersion: 1,
    promptId: prompt.id,
    seed,
    width,
    height,
    fps,
    frameCount,
    durationS: settings.durationS,
    pxPerM: camera.pxPerM,
    gravityMS2,
    gravityPxS2: gravityMS2 * camera.pxPerM,
    floorYPx: camera.floorYPx,
    objects: [],
    audio: null,
    defect,
    cloth: clothTruth(simulation, (xM, yM, zM) => projectCloth(camera, xM, yM, zM)),
  };
  function* frames(): Generator<Uint8Array> {
    const size = { width, height };
    const background = renderBackground(size, camera, null, settings.texture, seed);
    if (scene.box !== null) drawBox(background, size, camera, scene.box);
    if (scene.flag !== null) drawPole(background, size, camera, scene);
    const noise = new SensorNoise(settings.noiseSigma, seed);
    const watermark = settings.watermark ? new Watermark(size, seed) : null;
    for (let k = 0; k < frameCount; k += 1) {
      const frame = background.slice();
      const positions = simulation.positions[k];
      if (positions !== undefined) drawCloth(frame, size, camera, scene, positions);
      if (settings.noiseSigma > 0) noise.apply(frame, 1);
      watermark?.draw(frame, k / fps);
      yield frame;
    }
  }
  return { truth, settings, frames, audio: null };
}
