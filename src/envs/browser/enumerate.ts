import type { GuiAction } from './action.ts';
import type { BrowserState } from './state.ts';

/** The quoted values of an instruction (`Buy the "blue kettle"…` → blue kettle): what the enumerator types. */
export function instructionValues(utterance: string): string[] {
  const values = [...utterance.matchAll(/"([^"]+)"|“([^”]+)”/g)].map((m) => m[1] ?? m[2]);
  return [...new Set(values)];
}

const FILLABLE = new Set(['textbox', 'searchbox']);
const CLICKABLE = new Set(['button', 'link', 'checkbox', 'radio', 'generic']);

/**
 * The legal GUI actions of a page, in element order: click every clickable element, fill every text field
 * with each value quoted in the instruction (unless it holds it already), pick each other option of a select.
 * Tool calls are a model's to propose; the enumerator offers what a page shows.
 */
export function enumerateGuiActions(state: BrowserState): GuiAction[] {
  if (state.done) return [];
  const values = instructionValues(state.utterance);
  const actions: GuiAction[] = [];
  for (const element of state.elements) {
    if (FILLABLE.has(element.role)) {
      for (const text of values) if (element.value !== text) actions.push({ type: 'fill', id: element.id, text });
    } else if (element.role === 'combobox' && element.options) {
      for (const option of element.options) if (option.trim() !== '' && option !== element.value) actions.push({ type: 'select', id: element.id, option });
    } else if (CLICKABLE.has(element.role)) {
      actions.push({ type: 'click', id: element.id });
    }
  }
  return actions;
}
