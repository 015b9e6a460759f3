export { createWorldPool, DEFAULT_MAX_WORLDS, type WorldPool, type WorldPoolOptions, type WorldPoolStats } from './pool.ts';
export { failedStep, LookaheadRefused, WorldDivergence } from './failed-step.ts';
export { positionOf, recordedStepsOf, type RecordedSteps } from './recorded-steps.ts';
