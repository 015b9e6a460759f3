import { StepwiseError, UsageError } from '../core/errors.ts';
import { readPolicyFile } from '../guards/policy.ts';
import { guards, LEARNED_PREFIX, scorers } from '../recipe/components.ts';
import type { RecipeComponent } from '../store/records.ts';
import { OptionError } from '../registry/registry.ts';

/** Reads `--scorer heuristic,value`: a comma list of registered scorer names, `learned:<value.json>`, or none. */
export function parseScorerList(text: string): string[] {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => name !== 'none' && !scorers.has(name) && !(name.startsWith(LEARNED_PREFIX) && name.length > LEARNED_PREFIX.length));
  if (names.length === 0 || unknown.length > 0) {
    const choices = [...scorers.names().filter((name) => name !== 'learned'), 'none', `${LEARNED_PREFIX}<value.json>`];
    throw new UsageError(`--scorer must be a comma list of ${choices.join(', ')}; got "${text}"`, {
      hint: 'e.g. --scorer heuristic, or --scorer value with --model; a plug-in adds scorers (--plugin <file>)',
    });
  }
  if (names.includes('none') && names.length > 1) throw new UsageError('--scorer none cannot be combined with other scorers');
  return names;
}

/** Guards that read a policy: `--policy` applies to them. */
const POLICY_GUARDS = new Set(['policy', 'flow']);

/**
 * Reads `--guard policy,flow,judged` and `--policy <file>` into the guards a run's recipe names. The policy file is
 * read and checked now (a bad one is refused before anything runs) and recorded inline, with the working folder
 * as the workspace when no file is given, so a resume rebuilds the same chain wherever it runs.
 */
export function parseGuardList(text: string | undefined, policyPath: string | undefined, cwd = process.cwd()): RecipeComponent[] | undefined {
  if (text === undefined) {
    if (policyPath !== undefined) throw new UsageError('--policy applies to guards, but no --guard was given', { hint: 'e.g. --guard policy,flow --policy policy.yaml' });
    return undefined;
  }
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !guards.has(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--guard must be a comma list of ${guards.names().join(', ')}; got "${text}"`, { hint: 'e.g. --guard policy,flow; a plug-in adds guards (--plugin <file>); docs/guards.md' });
  }
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new UsageError(`--guard names ${twice} twice`);
  if (policyPath !== undefined && !names.some((name) => POLICY_GUARDS.has(name))) {
    throw new UsageError(`--policy applies to the policy and flow guards, but --guard is "${text}"`, { hint: 'add policy or flow to --guard, or leave --policy out' });
  }
  const policy = policyPath === undefined ? { workspace: cwd } : { rules: readPolicyFile(policyPath) };
  return names.map((name) => (POLICY_GUARDS.has(name) ? { name, options: policy } : { name }));
}

/** A strategy's options are `stepwise run` flags: an option error from the registry is said in flags. */
export function inFlagTerms(error: StepwiseError): StepwiseError {
  if (!(error instanceof OptionError) || error.componentKind !== 'strategy' || error.option === null) return error;
  const flags = error.known.map((name) => `--${name}`).join(', ');
  if (error.problem.startsWith('is not an option')) {
    return new UsageError(`--${error.option} does not apply to --strategy ${error.component}`, { hint: `${error.component} takes ${flags || 'no options'}; see \`stepwise run --help\`` });
  }
  return new UsageError(`--${error.option} ${error.problem}`, { hint: `${error.component} takes ${flags}` });
}
