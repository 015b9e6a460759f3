import { createHash } from 'node:crypto';
import type { BrowserAction } from './action.ts';
import type { PageElement } from './observe.ts';

/** The element a step acted on and the value it left there: what WebCanvas's element key nodes read. */
export interface StepTarget {
  path: string;
  value: string;
}

/**
 * A browser world's position, as recorded in the tree: what the page showed after the step, the
 * actions that led here from the task's seed (re-executed to give a branch its own world), the key
 * nodes met so far and the screenshot's artefact path (relative to the store's artefact folder).
 */
export interface BrowserState {
  url: string;
  title: string;
  utterance: string;
  focused: string | null;
  elements: PageElement[];
  text: string;
  reward: number;
  done: boolean;
  /** A digest of off-screen page state (sessionStorage), so two pages that look alike but differ stay apart. */
  storage: string;
  /** Best score so far of each of the task's key nodes, in their order (checked on every step). */
  keyNodes: number[];
  target: StepTarget | null;
  /** What the last tool call returned (hybrid GUI + tool agents read it here). */
  toolResult?: unknown;
  /** The answer given by an `answer` action. */
  answer?: string;
  screenshot?: string;
  history: BrowserAction[];
}

/** Two states with equal keys show the same page with the same progress, whatever path led there. */
export function browserStateKey(state: BrowserState): string {
  const { url, elements, text, reward, done, storage, keyNodes, toolResult, answer } = state;
  const shown = elements.map((e) => [e.id, e.role, e.name, e.value ?? null, e.checked ?? null]);
  return createHash('sha256').update(JSON.stringify([url, shown, text, reward, done, storage, keyNodes, toolResult ?? null, answer ?? null])).digest('hex').slice(0, 24);
}

/** The page as an agent reads it: the goal, URL, elements with their ids, the text, the last tool result. */
export function renderBrowserState(state: BrowserState): string {
  const lines = [`URL: ${state.url}`, `Title: ${state.title}`];
  if (state.focused) lines.push(`Focused: ${state.focused}`);
  lines.push('Elements:');
  for (const e of state.elements) {
    const value = e.value !== undefined ? ` value=${JSON.stringify(e.value)}` : '';
    const checked = e.checked !== undefined ? ` checked=${e.checked}` : '';
    const options = e.options ? ` options=${JSON.stringify(e.options)}` : '';
    lines.push(`  [${e.id}] ${e.role} ${JSON.stringify(e.name)}${value}${checked}${options}`);
  }
  if (state.elements.length === 0) lines.push('  (none)');
  lines.push('Text:', ...state.text.split('\n').map((line) => `  ${line}`));
  if (state.toolResult !== undefined) lines.push(`Last tool result: ${JSON.stringify(state.toolResult)}`);
  if (state.done) lines.push(`Episode over: reward ${state.reward}`);
  return lines.join('\n');
}
