import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem, Task } from '../../core/environment.ts';
import { TaskError, UsageError } from '../../core/errors.ts';
import type { ResolvedKeyNode } from '../../eval/key-node.ts';
import { defineEnvironmentPlugin } from '../../registry/environment-plugin.ts';
import { intParam, parseGeneratorSpec } from '../task-spec.ts';
import type { StripsAction } from './action-text.ts';
import { generateBlocksworldTasks } from './blocksworld-generator.ts';
import { blocksworldActionText, blocksworldStateText, parseBlocksworldActionText } from './blocksworld-language.ts';
import { positiveGoalFacts } from './facts.ts';
import { loadPddlTasks } from './pddl-tasks.ts';
import { parsePlanText } from './action-text.ts';
import { stripsEnvironment } from './strips-environment.ts';
import type { StripsState } from './strips-problem.ts';
import { loadStripsSpec, type StripsSpec } from './strips-spec.ts';

const STRIPS_SPEC_HINT = 'pass .pddl problem files or folders, comma-separated (with --domain <domain.pddl>), or generate:blocksworld?count=10&blocks=4&length=6';
const BLOCKSWORLD_WORDS = /^\s*(?:pick up|put down|unstack|stack)\b/i;

/** A Blocksworld task: PlanBench's words for states and actions, and its names for the blocks. */
function blocksworldOf(problem: Problem<StripsState, StripsAction>): { names: string[] } | null {
  const p = problem as { isBlocksworld?: unknown; objects?: { names?: unknown } };
  return p.isBlocksworld === true && Array.isArray(p.objects?.names) ? { names: p.objects.names as string[] } : null;
}

/** STRIPS: one key node per positive goal fact that is false at the start, met when the fact becomes true. */
function stripsKeyNodes(task: Task<StripsSpec>): ResolvedKeyNode[] {
  const problem = loadStripsSpec(task.spec, task.id);
  const initial = new Set(problem.initialState.facts);
  return positiveGoalFacts(problem.goal)
    .filter((fact) => !initial.has(fact))
    .map((fact, i) => ({ type: 'facts', contains: [fact], id: `g${i + 1}`, label: `${fact} becomes true` }));
}

/** PlanBench keeps domain.pddl beside the instances folder; look beside and one level up. */
function findDomainFile(problemPath: string | undefined): string | undefined {
  if (!problemPath || !existsSync(problemPath)) return undefined;
  const folder = statSync(problemPath).isDirectory() ? resolve(problemPath) : dirname(resolve(problemPath));
  return [join(folder, 'domain.pddl'), join(folder, '..', 'domain.pddl')].find((p) => existsSync(p));
}

export const stripsPlugin = defineEnvironmentPlugin<StripsState, StripsAction, StripsSpec>({
  env: stripsEnvironment,
  describe: 'STRIPS PDDL planning (PlanBench dialect: typing, negative preconditions, equality)',
  taskSpecs: [
    'generate:blocksworld?count=10&blocks=4&length=6&seed=1',
    '../shared/data/planbench/blocksworld/instances --domain ../shared/data/planbench/blocksworld/domain.pddl',
    'problem-1.pddl,problem-2.pddl --domain domain.pddl',
  ],
  loadTasks(spec, options) {
    if (spec.startsWith('generate:')) {
      const params = parseGeneratorSpec(spec, 'blocksworld', ['count', 'blocks', 'length', 'seed']);
      return generateBlocksworldTasks({
        count: intParam(params, 'count', 10),
        blocks: intParam(params, 'blocks', 4),
        length: intParam(params, 'length', 6),
        seed: intParam(params, 'seed', 1),
      });
    }
    const paths = spec.split(',').map((p) => p.trim()).filter(Boolean);
    if (paths.length === 0) throw new UsageError(`the task spec "${spec}" names no PDDL problem files`, { hint: STRIPS_SPEC_HINT });
    const missing = paths.find((p) => !existsSync(p));
    if (missing) throw new TaskError(`cannot read the PDDL problem path ${missing}: no such file or folder`, { hint: STRIPS_SPEC_HINT });
    const domain = options.domain ?? findDomainFile(paths[0]);
    if (!domain) {
      throw new UsageError(`no PDDL domain for ${spec}`, {
        hint: 'pass --domain <domain.pddl> (a domain.pddl beside the problems or one folder up is found by itself)',
      });
    }
    return loadPddlTasks(domain, paths);
  },
  parseSolution: (text) => ({ steps: parsePlanText(text), answer: null }),
  // PlanBench's words for Blocksworld tasks; other domains read as PDDL.
  promptView(problem) {
    if (!blocksworldOf(problem)) return undefined;
    return { family: 'blocksworld', state: (state) => blocksworldStateText(state.facts), action: (action) => blocksworldActionText(action) };
  },
  actionParsers(problem) {
    const blocksworld = blocksworldOf(problem);
    if (!blocksworld) return undefined;
    const words = (text: string) => parseBlocksworldActionText(text, blocksworld.names);
    const pddl = (text: string) => stripsEnvironment.parseAction(text);
    // The words parser also takes "pick up red block" (no "the"), which the generic PDDL reader would misread.
    return (text) => (BLOCKSWORLD_WORDS.test(text) ? [words, pddl] : [pddl, words]);
  },
  deriveKeyNodes: stripsKeyNodes,
  promptFolders: { blocksworld: fileURLToPath(new URL('./prompts/', import.meta.url)) },
});
