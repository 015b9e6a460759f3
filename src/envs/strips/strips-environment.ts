import { defineEnvironment } from '../../core/environment.ts';
import { formatStripsAction, parseStripsAction, stripsActionSchema } from './action-text.ts';
import type { StripsAction } from './action-text.ts';
import { loadStripsSpec } from './strips-spec.ts';
import type { StripsSpec } from './strips-spec.ts';
import type { StripsState } from './strips-problem.ts';

/** Classical planning over PDDL (STRIPS, typing, negative preconditions, equality), as PlanBench uses it. */
export const stripsEnvironment = defineEnvironment<StripsState, StripsAction, StripsSpec>({
  name: 'strips',
  version: '1',
  actionSchema: stripsActionSchema,
  formatAction: formatStripsAction,
  parseAction: parseStripsAction,
  load: (task) => loadStripsSpec(task.spec, task.id),
});
