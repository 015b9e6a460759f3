/** Keeps at most `slots` async calls in flight; the rest wait in FIFO order. */
export interface Limiter {
  readonly slots: number;
  run<T>(fn: () => Promise<T> | T): Promise<T>;
  /** Calls currently running. */
  readonly active: number;
  /** Calls waiting for a slot. */
  readonly waiting: number;
}

export function createLimiter(slots: number): Limiter {
  if (!Number.isInteger(slots) || slots < 1) {
    throw new RangeError(`concurrency must be a whole number >= 1, got ${slots}`);
  }
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active--;
    const next = queue.shift();
    if (next) {
      active++;
      next();
    }
  };
  return {
    slots,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run<T>(fn: () => Promise<T> | T): Promise<T> {
      if (active < slots) active++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
