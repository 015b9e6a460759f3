/** The STRIPS PDDL environment (`strips`), PDDL task loading and the Blocksworld generator. */
export { stripsEnvironment } from './strips-environment.ts';
export { formatStripsAction, parsePlanText, parseStripsAction, stripsActionSchema } from './action-text.ts';
export type { StripsAction } from './action-text.ts';
export { createStripsProblem, stateKeyOf } from './strips-problem.ts';
export type { StripsProblem, StripsState } from './strips-problem.ts';
export { loadStripsSpec, parseDomainCached } from './strips-spec.ts';
export type { StripsSpec } from './strips-spec.ts';
export { loadPddlTasks, naturalCompare } from './pddl-tasks.ts';
export { parseDomain } from './domain-parser.ts';
export { parseProblem } from './problem-parser.ts';
export type { ActionSchema, Domain, GroundLiteral, Literal, PddlProblem } from './pddl.ts';
export {
  BLOCK_COLOURS,
  blockLabel,
  blocksworldActionText,
  blocksworldFactText,
  blocksworldGoalText,
  blocksworldStateText,
  isBlocksworldLike,
  parseBlocksworldActionText,
} from './blocksworld-language.ts';
export { BLOCKSWORLD_DOMAIN, blocksworldProblemText } from './blocksworld-domain.ts';
export { generateBlocksworldTasks } from './blocksworld-generator.ts';
export type { BlocksworldRequest } from './blocksworld-generator.ts';
