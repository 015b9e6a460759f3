import { StoreError } from '../core/errors.ts';
import type { RunRecord } from './records.ts';

/** The word `getRun` accepts for the newest run. */
export const LATEST_RUN = 'latest';

/** The lookups `getRun` needs from a backend; lists are newest first. */
export interface RunLookup {
  byId(id: string): RunRecord | undefined;
  newest(): RunRecord | undefined;
  withPrefix(prefix: string): RunRecord[];
}

const SHOWN_MATCHES = 10;

/** Resolves a full run id, a unique prefix of one, or `latest`, the same way in every backend. */
export function resolveRunQuery(query: string, location: string, lookup: RunLookup): RunRecord {
  const exact = lookup.byId(query);
  if (exact) return exact;
  if (query === LATEST_RUN) {
    const newest = lookup.newest();
    if (newest) return newest;
    throw new StoreError(`No runs are recorded in ${location} yet, so there is no latest run.`, {
      hint: 'Start a run first, or point at the store file that holds your runs.',
    });
  }
  if (query === '') {
    throw new StoreError(`An empty run id was given for ${location}; expected a run id, a unique prefix of one, or "${LATEST_RUN}".`, {
      hint: 'List the recorded runs and pass one of their ids.',
    });
  }
  const matches = lookup.withPrefix(query);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new StoreError(`No run in ${location} has an id starting with "${query}".`, {
      hint: `List the recorded runs and pass one of their ids, a unique prefix of one, or "${LATEST_RUN}".`,
    });
  }
  const shown = matches.slice(0, SHOWN_MATCHES).map((run) => `${run.id} (started ${run.startedAt})`);
  const more = matches.length > SHOWN_MATCHES ? `, and ${matches.length - SHOWN_MATCHES} more` : '';
  throw new StoreError(`Run id prefix "${query}" is ambiguous in ${location}: it matches ${matches.length} runs: ${shown.join(', ')}${more}.`, {
    hint: 'Pass more characters of the run id.',
  });
}

/** `listRuns`' limit as a count: undefined lists every run, negative counts as 0. */
export function runLimit(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.max(0, Math.floor(limit));
}

/** The error both backends throw when `getTree` names a task that was never recorded. */
export function missingTaskError(location: string, runId: string, taskId: string, knownTaskIds: string[]): StoreError {
  const known = knownTaskIds.length === 0
    ? `run ${runId} has no recorded tasks`
    : `its tasks are ${knownTaskIds.slice(0, 10).join(', ')}${knownTaskIds.length > 10 ? ', …' : ''}`;
  return new StoreError(`No task ${taskId} in run ${runId} in ${location}; ${known}.`, {
    hint: 'Pass one of the recorded task ids, or check the run id.',
  });
}
