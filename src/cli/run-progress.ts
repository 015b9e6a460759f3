import type { RunEvent, RunResult } from '../search/run.ts';
import { createProgress } from './progress.ts';

/** Runs a search with a progress bar on stderr (unless quiet) and Ctrl-C as an abort signal, as run, resume and fork do. */
export async function withRunProgress<R extends RunResult>(
  label: string,
  total: number,
  quiet: boolean,
  body: (hooks: { signal: AbortSignal; onEvent: (event: RunEvent) => void }) => Promise<R>,
): Promise<R> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = quiet ? null : createProgress(label, total);
  let solved = 0;
  try {
    return await body({
      signal: controller.signal,
      onEvent(event) {
        if (event.type === 'task_end') {
          if (event.result.outcome === 'solved') solved++;
          progress?.update(event.done, `solved ${solved}`);
        }
      },
    });
  } finally {
    progress?.finish(`solved ${solved}`);
    process.off('SIGINT', onSigint);
  }
}
