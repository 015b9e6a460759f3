import { StepwiseError, UsageError } from '../core/errors.ts';
import { LEARNED_PREFIX, scorers } from '../recipe/components.ts';
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

/** A strategy's options are `stepwise run` flags: an option error from the registry is said in flags. */
export function inFlagTerms(error: StepwiseError): StepwiseError {
  if (!(error instanceof OptionError) || error.componentKind !== 'strategy' || error.option === null) return error;
  const flags = error.known.map((name) => `--${name}`).join(', ');
  if (error.problem.startsWith('is not an option')) {
    return new UsageError(`--${error.option} does not apply to --strategy ${error.component}`, { hint: `${error.component} takes ${flags || 'no options'}; see \`stepwise run --help\`` });
  }
  return new UsageError(`--${error.option} ${error.problem}`, { hint: `${error.component} takes ${flags}` });
}
