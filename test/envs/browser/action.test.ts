import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionParseError } from '../../../src/core/errors.ts';
import { browserActionSchema, formatBrowserAction, parseBrowserAction, type BrowserAction } from '../../../src/envs/browser/action.ts';
import { enumerateGuiActions, instructionValues } from '../../../src/envs/browser/enumerate.ts';
import type { BrowserState } from '../../../src/envs/browser/state.ts';
import { BUILTIN_TASKS, loadBrowserTasks } from '../../../src/envs/browser/tasks.ts';

const ACTIONS: BrowserAction[] = [
  { type: 'click', id: 'e3' },
  { type: 'fill', id: 'e0', text: 'blue "kettle"' },
  { type: 'select', id: 'e2', option: 'Sales' },
  { type: 'press', key: 'Enter' },
  { type: 'scroll', direction: 'up' },
  { type: 'hover', id: 'e1' },
  { type: 'goto', url: '/shop/cart.html' },
  { type: 'go_back' },
  { type: 'answer', text: '4821' },
  { type: 'stop' },
  { tool: 'find_order', args: { customer: 'Ines' } },
];

test('every action reads back from its text form and fits the schema', () => {
  for (const action of ACTIONS) {
    const text = formatBrowserAction(action);
    assert.deepEqual(parseBrowserAction(text), action, text);
    assert.ok(browserActionSchema.safeParse(action).success, text);
  }
});

test('call-like spellings models write read as the same actions', () => {
  assert.deepEqual(parseBrowserAction('click(e4)'), { type: 'click', id: 'e4' });
  assert.deepEqual(parseBrowserAction('fill(e2, "Dana")'), { type: 'fill', id: 'e2', text: 'Dana' });
  assert.deepEqual(parseBrowserAction('`go_back()`'), { type: 'go_back' });
});

test('unreadable actions name what was wrong', () => {
  assert.throws(() => parseBrowserAction('click the blue button'), (error: unknown) => error instanceof ActionParseError && /element id/.test(error.message) && /click e3/.test(error.hint ?? ''));
  assert.throws(() => parseBrowserAction('dance e1'), /unknown action "dance"/);
  assert.throws(() => parseBrowserAction('call find_order {not json}'), /expected a JSON object/);
  assert.equal(browserActionSchema.safeParse({ type: 'click', id: 'button-3' }).success, false);
});

test('the enumerator fills text fields with the quoted values of the instruction, picks options and clicks', () => {
  assert.deepEqual(instructionValues('Log in as "ada" with "k7m2" as "ada".'), ['ada', 'k7m2']);
  const state = {
    utterance: 'Log in as "ada" with the password "k7m2".',
    done: false,
    elements: [
      { id: 'e0', tag: 'input', role: 'textbox', name: 'Username', value: 'ada', path: '#username' },
      { id: 'e1', tag: 'select', role: 'combobox', name: 'Team', value: 'Sales', options: ['Research', 'Sales'], path: '#team' },
      { id: 'e2', tag: 'button', role: 'button', name: 'Log in', path: '#login' },
    ],
  } as unknown as BrowserState;
  assert.deepEqual(enumerateGuiActions(state).map(formatBrowserAction), ['fill e0 "k7m2"', 'select e1 "Research"', 'click e2']);
  assert.deepEqual(enumerateGuiActions({ ...state, done: true }), []);
});

test('task specs: built-in names and seeds, and clear errors', () => {
  const tasks = loadBrowserTasks('builtin:shop,login-form?seeds=1-2');
  assert.deepEqual(tasks.map((t) => t.id), ['shop-s1', 'shop-s2', 'login-form-s1', 'login-form-s2']);
  assert.deepEqual(tasks[0].spec, { root: 'builtin', page: BUILTIN_TASKS.shop.page, seed: 1 });
  assert.equal(loadBrowserTasks('builtin:all').length, Object.keys(BUILTIN_TASKS).length);
  assert.throws(() => loadBrowserTasks('builtin:nope'), /no built-in browser task "nope"/);
  assert.throws(() => loadBrowserTasks('builtin:shop?seeds=5-1'), /runs backwards/);
  assert.throws(() => loadBrowserTasks('builtin:shop?colour=red'), /not "colour"/);
  assert.throws(() => loadBrowserTasks('miniwob:/no/such/folder'), /no folder of task pages/);
  assert.throws(() => loadBrowserTasks('web:whatever'), /does not understand/);
});
