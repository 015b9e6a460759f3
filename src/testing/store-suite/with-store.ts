import type { Store } from '../../store/store.ts';
import type { SampleRun } from './sample-run.ts';

/** Opens a fresh, empty store of the backend under test (each call a new one: a new file, schema or database). */
export type OpenStore = () => Store | Promise<Store>;

/** Runs `body` on a freshly opened store and closes it afterwards, so close-time write errors fail the test too. */
export async function withStore(open: OpenStore, body: (store: Store) => Promise<void>): Promise<void> {
  const store = await open();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

export function appendAll(store: Store, sample: SampleRun): void {
  for (const record of sample.records) store.append(record);
}
