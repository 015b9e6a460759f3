/** The two nodes chosen for the compare view ("set as A / B" in a node's panel), kept for the browser tab's life. */
export interface PickedNode {
  runId: string;
  nodeId: string;
}

const KEY = 'stepwise.comparePicks';

export function readPicks(): { a: PickedNode | null; b: PickedNode | null } {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as { a?: PickedNode; b?: PickedNode };
    return { a: parsed.a ?? null, b: parsed.b ?? null };
  } catch {
    return { a: null, b: null };
  }
}

export function pick(slot: 'a' | 'b', node: PickedNode): { a: PickedNode | null; b: PickedNode | null } {
  const picks = { ...readPicks(), [slot]: node };
  sessionStorage.setItem(KEY, JSON.stringify(picks));
  return picks;
}
