import type { Store } from '../../src/store/store.ts';
import type { SampleRun } from './sample-run.ts';

/** Runs `body` on a freshly opened store and closes it afterwards, so close-time write errors fail the test too. */
export async function withStore(open: () => Store, body: (store: Store) => Promise<void>): Promise<void> {
  const store = open();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

export function appendAll(store: Store, sample: SampleRun): void {
  for (const record of sample.records) store.append(record);
}
