import type { TreeItem } from '../api.ts';

/** One drawn row: an item, or the "load more" row of a family only partly loaded. */
export type TreeRow =
  | { type: 'item'; id: string; depth: number; parentRow: number }
  | { type: 'more'; parentId: string; depth: number; parentRow: number; remaining: number };

/**
 * The part of a task's tree loaded so far, and which families are open. Rows are the open tree in preorder; only
 * the rows on screen are drawn, so the cost of a frame does not grow with the tree.
 */
export interface TreeModel {
  items: Map<string, TreeItem>;
  children: Map<string, string[]>;
  /** Families the reader closed; a family with loaded children is open unless listed. */
  closed: Set<string>;
  rows: TreeRow[];
  rowOf: Map<string, number>;
  rootId: string | null;
}

export function createTreeModel(rootId: string | null): TreeModel {
  return { items: new Map(), children: new Map(), closed: new Set(), rows: [], rowOf: new Map(), rootId };
}

/** Adds or refreshes items; parents must be known before their children (the server sends them so). */
export function mergeItems(model: TreeModel, items: TreeItem[]): void {
  for (const item of items) {
    const known = model.items.has(item.id);
    model.items.set(item.id, item);
    if (known || item.parentId === null) continue;
    let siblings = model.children.get(item.parentId);
    if (!siblings) model.children.set(item.parentId, (siblings = []));
    siblings.push(item.id);
  }
}

export function loadedChildren(model: TreeModel, id: string): number {
  return model.children.get(id)?.length ?? 0;
}

export function isOpen(model: TreeModel, id: string): boolean {
  return loadedChildren(model, id) > 0 && !model.closed.has(id);
}

/** Recomputes the rows in preorder: O(open nodes), done only when the open set changes. */
export function layoutRows(model: TreeModel): void {
  const rows: TreeRow[] = [];
  const rowOf = new Map<string, number>();
  type Pending = { type: 'item'; id: string; parentRow: number } | { type: 'more'; parentId: string; parentRow: number };
  const stack: Pending[] = model.rootId !== null && model.items.has(model.rootId) ? [{ type: 'item', id: model.rootId, parentRow: -1 }] : [];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry.type === 'more') {
      const parent = model.items.get(entry.parentId)!;
      rows.push({ type: 'more', parentId: entry.parentId, depth: parent.depth + 1, parentRow: entry.parentRow, remaining: parent.childCount - loadedChildren(model, entry.parentId) });
      continue;
    }
    const item = model.items.get(entry.id)!;
    const row = rows.length;
    rowOf.set(entry.id, row);
    rows.push({ type: 'item', id: entry.id, depth: item.depth, parentRow: entry.parentRow });
    if (!isOpen(model, entry.id)) continue;
    const children = model.children.get(entry.id)!;
    // Pushed in reverse so they pop in order; the "more" row comes after the last child.
    if (item.childCount > children.length) stack.push({ type: 'more', parentId: entry.id, parentRow: row });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ type: 'item', id: children[i], parentRow: row });
  }
  model.rows = rows;
  model.rowOf = rowOf;
}
