import { didYouMean } from '../prompts/did-you-mean.js';
import { RunError } from './errors.js';
import type { Suite } from './suite.js';

const SIM_GENERATORS = ['sim:ideal', 'sim:flawed'] as const;
const BALL_METRICS = ['trajectory', 'temporal', 'avsync'] as const;

/** Every named suite. `default` is what a bare `physeval run` runs. */
export const SUITES = {
  default: {
    id: 'default',
    description: 'Every rigid-ball prompt (drops, bounces, projectiles, collisions, rolling, impact sounds) with all ball metrics',
    prompts: { categories: ['drop', 'bounce', 'projectile', 'collision', 'rolling', 'impact-sound'] },
    metrics: BALL_METRICS,
    thresholds: {},
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 3,
  },
  smoke: {
    id: 'smoke',
    description: 'Three short prompts for a quick check that everything works',
    prompts: { ids: ['basketball-bounce-hardwood', 'tennis-ball-lob', 'rubber-balls-thrown-midair'] },
    metrics: BALL_METRICS,
    thresholds: {},
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 2,
  },
  'bouncing-balls': {
    id: 'bouncing-balls',
    description: 'Drops and bounces of every ball: gravity, restitution, energy and object permanence',
    prompts: { categories: ['drop', 'bounce'] },
    metrics: ['trajectory', 'temporal'],
    thresholds: {},
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 4,
  },
  'av-sync': {
    id: 'av-sync',
    description: 'Impacts that make a sound, judged against the stricter EBU R37 sync limits (40 ms early, 60 ms late)',
    prompts: { categories: ['impact-sound', 'drop', 'bounce'] },
    metrics: ['trajectory', 'avsync'],
    thresholds: { avsync: { maxEarlyMs: 40, maxLateMs: 60 } },
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 3,
  },
  fluids: {
    id: 'fluids',
    description: 'Pouring, filling, splashing and spilling liquids (the simulator renders each with known volumes, levels, stream widths and droplet arcs)',
    prompts: { categories: ['fluid', 'splash'] },
    metrics: ['fluid', 'temporal'],
    thresholds: {},
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 6,
  },
  cloth: {
    id: 'cloth',
    description: 'Cloth dropped, blown and pulled: stretch, free fall against g, settling and popping from tracked texture points',
    prompts: { categories: ['cloth'] },
    metrics: ['cloth', 'temporal'],
    thresholds: {},
    defaultGenerators: SIM_GENERATORS,
    maxSimDurationS: 4,
  },
} as const satisfies Record<string, Suite>;

export type SuiteId = keyof typeof SUITES;

export function isSuiteId(id: string): id is SuiteId {
  return Object.hasOwn(SUITES, id);
}

export function getSuite(id: string): Suite {
  if (!isSuiteId(id)) {
    throw new RunError('unknown-suite', `unknown suite '${id}'${didYouMean(id, Object.keys(SUITES))}; known: ${Object.keys(SUITES).join(', ')}`);
  }
  return SUITES[id];
}
