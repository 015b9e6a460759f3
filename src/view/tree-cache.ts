import { loadTreeOutline } from '../replay/family.ts';
import type { Store } from '../store/store.ts';
import { mcValuesOf } from './credit-values.ts';
import { buildTreeIndex, type TreeIndex } from './tree-index.ts';

const TREES_KEPT = 8;

interface Entry {
  mark: string;
  index: Promise<TreeIndex>;
  built: TreeIndex | undefined;
}

/** Indexed trees by run and task, rebuilt when the store's change mark moves (a run in progress), the least recent dropped. */
export function defineTreeCache(store: Store) {
  const trees = new Map<string, Entry>();

  async function entryOf(runId: string, taskId: string): Promise<Entry> {
    const key = JSON.stringify([runId, taskId]);
    const mark = await store.changeMark();
    let entry = trees.get(key);
    if (!entry || entry.mark !== mark) {
      const index = buildIndex(store, runId, taskId);
      const fresh: Entry = { mark, index, built: undefined };
      fresh.index.then((index) => (fresh.built = index), () => trees.delete(key));
      entry = fresh;
    }
    trees.delete(key);
    trees.set(key, entry);
    for (const oldest of trees.keys()) {
      if (trees.size <= TREES_KEPT) break;
      trees.delete(oldest);
    }
    return entry;
  }

  return {
    /** The whole tree's index, built on first use. */
    async get(runId: string, taskId: string): Promise<TreeIndex> {
      return (await entryOf(runId, taskId)).index;
    },
    /** The index if it is already built; otherwise starts building it and returns undefined. */
    async ifBuilt(runId: string, taskId: string): Promise<TreeIndex | undefined> {
      return (await entryOf(runId, taskId)).built;
    },
  };
}

export type TreeCache = ReturnType<typeof defineTreeCache>;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Reading a big tree blocks for a while: each phase starts on a fresh turn, so requests queued meanwhile are served.
async function buildIndex(store: Store, runId: string, taskId: string): Promise<TreeIndex> {
  await turn();
  const outline = await loadTreeOutline(store, runId, taskId);
  await turn();
  const mcValues = await mcValuesOf(store, outline);
  await turn();
  return buildTreeIndex(outline, mcValues);
}
