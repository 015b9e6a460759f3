import { ReplayError } from '../core/errors.ts';
import { optionNames } from '../registry/registry.ts';
import { strategies } from '../search/strategies/index.ts';
import { scorers as registeredScorers } from '../recipe/components.ts';
import type { RecipeModel, RunRecipe, RunRecord } from '../store/records.ts';

// Strategy configs record some options under their library names; the recipe uses the command line's.
const OPTION_NAMES: Record<string, string> = { rolloutDepth: 'rollout-depth', virtualLoss: 'virtual-loss', priorTemperature: 'prior-temperature' };

/**
 * The recipe a run was built from. Runs recorded before recipes were (stepwise 0.1.0, store formats 1–3 without
 * `provenance.recipe`) are rebuilt from their run record when their components say enough; otherwise a ReplayError says why not.
 */
export function recipeOfRun(run: RunRecord): RunRecipe {
  const seed = run.provenance?.recipe?.seed ?? run.seed;
  if (!Number.isSafeInteger(seed)) {
    throw new ReplayError(`run ${run.id} records the seed ${seed}, beyond 2^53 - 1, which a JavaScript number cannot hold exactly: its searches cannot be redone`, {
      hint: 'its records can still be read (`stepwise show`, `export`); start a new run with a smaller --seed',
    });
  }
  if (run.provenance?.recipe) return run.provenance.recipe;
  if (run.tags?.feedback === 'session') {
    // Its steps were a person's choices, which no recipe can make again.
    throw new ReplayError(`run ${run.id} is a feedback session of user ${run.tags.user ?? '?'}: a person chose its steps, so it cannot be replayed, resumed or forked`, {
      hint: `the turns answered so far are kept (\`stepwise feedback stats --user ${run.tags.user ?? '<id>'}\`); start a new session with \`stepwise feedback ${run.env.name} --tasks …\``,
    });
  }
  // The part that cannot be rebuilt is named first, with what would rebuild it: a component built in code is not an old stepwise's fault.
  // A component no registry holds (pluginHint) is a run built in code or a plug-in not given; otherwise the record may predate recipes.
  const why = (reason: string, hint?: string) =>
    hint
      ? new ReplayError(`run ${run.id} cannot be rebuilt from its record: ${reason}; its record has no recipe that says where it came from`, { hint })
      : new ReplayError(`run ${run.id} cannot be rebuilt from its record: ${reason}. It has no recipe: it was built in code (runSearch), or recorded by stepwise ${run.stepwiseVersion} before runs kept their recipe`, {
          hint: 'rerun it in code with the same components and seed, or record it again with `stepwise run` (whose runs keep their recipe) and replay, resume or fork that one',
        });
  const entry = strategies.find(run.strategy.name);
  if (!entry) throw why(`its strategy "${run.strategy.name}" is not one this stepwise knows`, pluginHint('strategy', run.strategy.name, run.id));
  const known = optionNames(entry.options);
  const strategyOptions: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(run.strategy.config ?? {})) {
    const name = OPTION_NAMES[key] ?? key;
    if (known.includes(name) && (typeof value === 'string' || typeof value === 'number')) strategyOptions[name] = value;
  }
  const model = modelOf(run, why);
  // Built-in judges by their recorded names; any other scorer by its name, when a registry (a plug-in given with --plugin) has it.
  const scorers = run.scorers.map((s) =>
    s.name === 'heuristic' ? 'heuristic' : s.name.startsWith('llm-value:') ? 'value' : s.name.startsWith('llm-pick:') ? 'pick' : registeredScorers.find(s.name) ? s.name : '',
  );
  const unknown = run.scorers.find((_, i) => scorers[i] === '');
  if (unknown) {
    throw why(`its scorer "${unknown.name}" is neither built in nor registered by a loaded plug-in, so it cannot be rebuilt`, pluginHint('scorer', unknown.name, run.id));
  }
  const { maxDepth, ...budget } = run.budget;
  return {
    env: run.env.name,
    tasks: run.taskSpec,
    strategy: run.strategy.name,
    strategyOptions,
    budget,
    maxDepth,
    seed: run.seed,
    scorers: scorers.length > 0 ? scorers : ['none'],
    model,
  };
}

function modelOf(run: RunRecord, why: (reason: string) => ReplayError): RecipeModel | null {
  if (run.proposer.name === 'enumerate') return null;
  const config = run.proposer.config ?? {};
  if (!run.proposer.name.startsWith('llm:') || typeof config.model !== 'string') throw why(`its proposer "${run.proposer.name}" cannot be rebuilt from the record`);
  // A prompt file is recorded by name and hash only; the built-in templates ('auto') can be found again.
  if (config.template !== 'auto') throw why(`its proposer used the prompt "${String(config.template)}", which the record names but does not hold`);
  const judge = run.scorers.find((s) => s.name.startsWith('llm-'))?.config ?? {};
  return {
    spec: config.model,
    mode: config.mode === 'list' ? 'list' : 'samples',
    ...(typeof config.temperature === 'number' ? { temperature: config.temperature } : {}),
    ...(typeof judge.samples === 'number' ? { judgeSamples: judge.samples } : {}),
  };
}

/** What rebuilds a component the record names but no registry holds: the plug-in that registers it, or the code that built it. */
function pluginHint(kind: string, name: string, runId: string): string {
  return `if a plug-in registers the ${kind} "${name}", pass it: \`stepwise replay ${runId} --plugin <file|package>\` (also for resume and fork); if it was built in code, rerun it there with the same ${kind} and seed`;
}
