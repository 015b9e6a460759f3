import { CREDIT_KIND } from '../credit/annotations.ts';
import { loadTreeOutline } from '../replay/family.ts';
import type { Store } from '../store/store.ts';
import { creditRunsOf, mcValuesOf } from './credit-values.ts';
import { buildTreeIndex, type TreeIndex } from './tree-index.ts';

const TREES_KEPT = 8;

interface Entry {
  mark: string;
  index: Promise<TreeIndex>;
  built: TreeIndex | undefined;
}

/**
 * What can still change in a finished task's index: only the credit `stepwise credit` stores (its nodes, candidates and
 * stats are final once its result is written; a resume continues unfinished tasks only). Credit is written for every
 * node, the root included, and a rerun replaces it: the root's credit annotation stands for the whole tree's. A fork's
 * borrowed path shows its origins' credit, so their roots' annotations count too (the root is the origin's).
 */
async function creditMarkOf(store: Store, index: TreeIndex): Promise<string> {
  if (index.rootId === null) return '';
  const marks = [];
  for (const runId of creditRunsOf(index.outline)) {
    const records = await store.getAnnotations(runId, { kind: CREDIT_KIND, taskId: index.outline.task.taskId, nodeId: index.rootId });
    marks.push([runId, records.map((record) => [record.key, record.data])]);
  }
  return JSON.stringify(marks);
}

/**
 * Indexed trees by run and task, the least recent dropped. The store's change mark moves whenever any run writes; a
 * tree is rebuilt then only when it may have changed: its task is unfinished, or (finished) its stored credit changed.
 * So a finished tree stays cached while another run works (issue 17: a 137k-node tree went from 6 ms to 2 s per request).
 */
export function defineTreeCache(store: Store) {
  const trees = new Map<string, Entry>();
  const creditMarks = new WeakMap<Entry, string>();
  let builds = 0;

  /** Whether `entry`, built before the store's mark moved, still holds: a finished task whose credit is unchanged. */
  async function stillHolds(entry: Entry): Promise<boolean> {
    const built = entry.built;
    if (built === undefined || built.outline.result === null) return false;
    const before = creditMarks.get(entry);
    return before !== undefined && before === (await creditMarkOf(store, built));
  }

  async function entryOf(runId: string, taskId: string): Promise<Entry> {
    const key = JSON.stringify([runId, taskId]);
    const mark = await store.changeMark();
    let entry = trees.get(key);
    if (entry && entry.mark !== mark && (await stillHolds(entry))) entry.mark = mark;
    if (!entry || entry.mark !== mark) {
      builds++;
      const index = buildIndex(store, runId, taskId);
      const fresh: Entry = { mark, index, built: undefined };
      fresh.index.then(
        async (built) => {
          creditMarks.set(fresh, await creditMarkOf(store, built));
          fresh.built = built;
        },
        () => trees.delete(key),
      );
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
    /** How many indexes were built (or rebuilt) so far: what a test of the invalidation counts. */
    get builds(): number {
      return builds;
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
