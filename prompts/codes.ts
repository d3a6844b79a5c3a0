/**
 * The failure-code vocabulary shared by the simulator (which plants defects) and the metrics
 * (which raise them). Neither side imports the other: both import this list.
 */
export const FAILURE_CODES = {
  'no-object': 'no moving object could be tracked',
  'gravity-off': 'gravity in m/s² is far from the expected value',
  'gravity-inconsistent': 'gravity differs between free-flight arcs beyond their uncertainty',
  'energy-gain': 'a passive bounce gained energy',
  teleport: 'the object jumped by more than its velocity explains',
  vanish: 'the object disappeared and reappeared',
  'size-change': 'the object changed size beyond what perspective explains',
  'shape-change': 'the object changed shape',
  'momentum-violation': 'momentum was not conserved in a collision',
  flicker: 'brightness or colour changed from frame to frame without a cause',
  'scene-cut': 'the scene changed abruptly',
  'frozen-frames': 'frames repeat or the scene stops moving',
  'appearance-change': 'an object changed its appearance',
  'timing-irregular': 'frame timestamps are irregular',
  'av-desync': 'impact sounds are out of sync with the picture',
  'volume-not-conserved': 'the liquid volume was not conserved',
  'surface-not-level': 'the liquid surface at rest is not level',
  'stream-continuity': 'the falling stream does not narrow as it accelerates',
  'fluid-appears': 'liquid appeared without a source',
  'fluid-vanishes': 'liquid vanished',
  'cloth-stretch': 'the cloth stretched beyond what fabric allows',
  'faster-than-gravity': 'the cloth fell faster than gravity',
  'no-settling': 'the cloth never came to rest',
  'cloth-pop': 'points on the cloth jumped',
} as const;

export type FailureCode = keyof typeof FAILURE_CODES;

export function isFailureCode(value: string): value is FailureCode {
  return Object.hasOwn(FAILURE_CODES, value);
}

/** One reason a clip fails, in words a person understands. */
export interface Failure {
  code: FailureCode;
  message: string;
  /** Where in the clip the failure shows, in seconds from the first frame. */
  atS?: number;
}
