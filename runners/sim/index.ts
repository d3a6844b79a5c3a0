/** The built-in physics simulator: exact rigid-ball, cloth and fluid clips with ground truth and plantable defects. */
export { simulateClip, prepareClip, truthPathFor, type PreparedClip } from './simulate-clip.js';
export { createSimGenerator, type SimGeneratorId } from './generator.js';
export { applicableDefects, chooseDefect, parseDefect, DEFECT_CODES } from './defects.js';
export { SIM_DEFAULTS, type SimOptions, type DefectRequest } from './options.js';
export { SimError, isSimError, type SimErrorCode } from './errors.js';
export {
  DEFECTS,
  type DefectCode,
  type GroundTruth,
  type PlantedDefect,
  type TruthObject,
  type TruthSample,
  type FluidTruth,
  type DropletArc,
  type StreamWidthSample,
} from './truth.js';
export { FLUID_DEFECT_CODES, type FluidDefectCode } from './fluid/fluid-defects.js';
