import { fromNumber } from '../envs/game24/rational.ts';
import { sortedNumberTexts } from '../envs/game24/multiset.ts';
import type { Game24State } from '../envs/game24/step.ts';
import { judgeLine, outputLines, type JudgedLine } from './game24-replay.ts';

/** A node of a tree being rebuilt from a log, before it is written as records. */
export interface ImportNode {
  seq: number;
  parent: ImportNode | null;
  depth: number;
  /** The output text up to and including this node's line (trimmed lines joined by newlines). */
  text: string;
  /** null at the root. */
  judged: JudgedLine | null;
  state: Game24State;
  children: ImportNode[];
  /** The log's proposals that led here, with the value the log gave each (BFS only). */
  proposals: { value: number | null; order: number }[];
  selected: boolean;
  terminal: boolean;
}

/** A Game of 24 tree grown from output texts, every line judged by stepwise's verifier as it is added. */
export interface ImportTree {
  readonly puzzle: readonly number[];
  readonly root: ImportNode;
  readonly nodes: ImportNode[];
  /** The node an output text ends at; with `merge`, texts with a common prefix share its nodes (a search log's tree). */
  follow(text: string, merge: boolean): ImportNode;
}

export function createImportTree(puzzle: readonly number[]): ImportTree {
  const state: Game24State = { numbers: sortedNumberTexts(puzzle.map(fromNumber)) };
  const root: ImportNode = { seq: 0, parent: null, depth: 0, text: '', judged: null, state, children: [], proposals: [], selected: true, terminal: false };
  const nodes: ImportNode[] = [root];
  return {
    puzzle,
    root,
    nodes,
    follow(text, merge) {
      let at = root;
      for (const line of outputLines(text)) {
        const existing = merge ? at.children.find((child) => child.judged?.text === line) : undefined;
        if (existing) {
          at = existing;
          continue;
        }
        const judged = judgeLine(puzzle, at.state, line);
        const child: ImportNode = {
          seq: nodes.length, parent: at, depth: at.depth + 1, text: at.text === '' ? line : `${at.text}\n${line}`, judged,
          state: judged.state, children: [], proposals: [], selected: false, terminal: false,
        };
        at.children.push(child);
        nodes.push(child);
        at = child;
      }
      return at;
    },
  };
}
