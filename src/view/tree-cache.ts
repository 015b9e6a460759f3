import type { Store } from '../store/store.ts';
import { buildTreeIndex, type TreeIndex } from './tree-index.ts';

const TREES_KEPT = 8;

/** Indexed trees by run and task, rebuilt when the store's change mark moves (a run in progress), the least recent dropped. */
export function defineTreeCache(store: Store) {
  const trees = new Map<string, { mark: string; index: Promise<TreeIndex> }>();
  return {
    async get(runId: string, taskId: string): Promise<TreeIndex> {
      const key = JSON.stringify([runId, taskId]);
      const mark = await store.changeMark();
      let entry = trees.get(key);
      if (!entry || entry.mark !== mark) {
        entry = { mark, index: store.getTreeOutline(runId, taskId).then(buildTreeIndex) };
        entry.index.catch(() => trees.delete(key));
      }
      trees.delete(key);
      trees.set(key, entry);
      for (const oldest of trees.keys()) {
        if (trees.size <= TREES_KEPT) break;
        trees.delete(oldest);
      }
      return entry.index;
    },
  };
}

export type TreeCache = ReturnType<typeof defineTreeCache>;
