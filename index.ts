/**
 * physeval as a library: the same pipeline the CLI runs.
 *
 *   import { run, analyze } from 'physeval';
 *   const results = await run({ outDir: 'out', suite: 'smoke' });
 *   const [report] = await analyze(['clip.mp4'], { expect: { gravityMS2: 9.81 } });
 */
export { run, RUN_DEFAULTS, type RunEvent, type RunOptions } from './suites/run.js';
export { analyze, isAnalyzeError, resolveExpectations, type AnalyzeError, type AnalyzeOptions, type AnalyzeReport } from './suites/analyze.js';
export { SUITES, getSuite, type SuiteId } from './suites/definitions.js';
export type { Suite, PromptSelection } from './suites/suite.js';
export { readResults } from './suites/results-store.js';
export { resultsFileSchema, type ItemResult, type ResultsFile, type Verdict } from './suites/results.js';
export { RunError } from './suites/errors.js';
export { gate, GATE_DEFAULTS, GateError, type GateOptions, type GateVerdict, type MetricComparison } from './suites/gate.js';
export { GATE_METRICS, SUITE_GATE_LIMITS, type GateMetricId } from './suites/gate-metrics.js';
export { mergeRuns, MergeError, type MergeOutcome } from './suites/merge.js';
export { historyRows, readHistory, mergeHistory, writeHistory, type HistoryRow } from './suites/history.js';
export { defineConfig, loadConfig, type PhysevalConfig } from './suites/config.js';
export { loadCatalog, getPrompt } from './prompts/catalog.js';
export { promptSchema, expectationsSchema, type Prompt, type Expectations } from './prompts/schema.js';
export { FAILURE_CODES, type Failure, type FailureCode } from './prompts/codes.js';
export { analyzeVideo, type AnalysisResult } from './metrics/analyze-video.js';
export { METRICS } from './metrics/registry.js';
export type { Metric, MetricContext, MetricOutcome, MetricSession, AnalysisFrame } from './metrics/types.js';
export type { TrajectoryValue, TrackedObject, FittedArc } from './metrics/trajectory-types.js';
export { GENERATORS, createGenerator } from './runners/registry.js';
export type { Generator, GenerateOutcome, GenerateRequest, GeneratorInfo } from './runners/types.js';
export { simulateClip } from './runners/sim/simulate-clip.js';
export type { GroundTruth, DefectCode } from './runners/sim/truth.js';
export { probeVideo } from './media/probe.js';
export { readFrames } from './media/frames.js';
export { readAudio } from './media/audio.js';
export { encodeVideo } from './media/encode.js';
export { MediaError } from './media/errors.js';
export { writeReports } from './reports/index.js';
