import { AsyncLocalStorage } from 'node:async_hooks';
import { SearchStopped } from './errors.ts';

// The deadline of the task whose search is running, carried through its async calls: an environment's long synchronous
// computation (grounding, a heuristic, an enumeration) can honour it without a context in every signature.
const running = new AsyncLocalStorage<{ at: number }>();

/** Runs `body` (a task's search) with a wall-clock deadline, `performance.now()` milliseconds; none when undefined. */
export function withDeadline<T>(at: number | undefined, body: () => T): T {
  return at === undefined ? body() : running.run({ at }, body);
}

/**
 * A check for one long loop: call it every iteration; every `every` calls it looks at the clock and throws
 * SearchStopped('wallMs') once the running task's deadline passed, so `--time-limit` holds inside one expansion.
 * Outside a search with a deadline it never throws.
 */
export function deadlineCheck(every = 1024): () => void {
  const deadline = running.getStore();
  if (deadline === undefined) return () => undefined;
  let calls = 0;
  return () => {
    if (++calls < every) return;
    calls = 0;
    if (performance.now() >= deadline.at) throw new SearchStopped('wallMs');
  };
}
