import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionParseError } from '../../../src/core/errors.ts';
import { formatStripsAction, parsePlanText, stripsActionSchema, stripsEnvironment } from '../../../src/envs/strips/index.ts';

const { parseAction, formatAction } = stripsEnvironment;

test('parseAction reads the PDDL, bare, upper-case and call forms alike', () => {
  const expected = { name: 'unstack', args: ['d', 'c'] };
  for (const text of ['(unstack d c)', 'unstack d c', '(UNSTACK D C)', 'unstack(d, c)', '  ( unstack   d c )  ', 'Unstack(D,C)', '(unstack d c).']) {
    assert.deepEqual(parseAction(text), expected, text);
  }
  assert.deepEqual(parseAction('(handempty-check)'), { name: 'handempty-check', args: [] });
  assert.deepEqual(parseAction('drive-truck(t1, loc-1-2, city_2)'), { name: 'drive-truck', args: ['t1', 'loc-1-2', 'city_2'] });
});

test('formatAction and parseAction round-trip, and formatted actions satisfy the schema', () => {
  const action = { name: 'fly-airplane', args: ['jet', 'north-port', 'south-port'] };
  assert.equal(formatAction(action), '(fly-airplane jet north-port south-port)');
  assert.deepEqual(parseAction(formatAction(action)), action);
  assert.ok(stripsActionSchema.safeParse(action).success);
  assert.equal(stripsActionSchema.safeParse({ name: 'Unstack', args: ['d'] }).success, false);
  assert.equal(stripsActionSchema.safeParse({ name: 'unstack', args: 'd c' }).success, false);
});

test('Blocksworld actions in words are read as the same PDDL actions', () => {
  assert.deepEqual(parseAction('unstack the yellow block from on top of the orange block'), { name: 'unstack', args: ['d', 'c'] });
  assert.deepEqual(parseAction('Pick up the red block.'), { name: 'pick-up', args: ['a'] });
});

test('malformed actions throw ActionParseError saying what was wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['(unstack d c', /never closed/],
    ['(unstack (d) c)', /nested or unbalanced/],
    ['unstack d c)', /unbalanced or misplaced/],
    ['(stack ?x ?y)', /'\?x' is a variable/],
    ['(stack a b!)', /'b!' is not a PDDL name/],
    ['pick up the purple block', /Unknown block "the purple block"/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseAction(text), (error: unknown) => error instanceof ActionParseError && pattern.test(error.message), text);
  }
});

test('parsePlanText skips blank lines and comments and names the line of a bad action', () => {
  const text = '; cost = 2 (unit cost)\n(unstack d c)\n\n  (STACK d a) ; final move\n0.000: (put-down d) [1.000]\n';
  assert.deepEqual(parsePlanText(text), ['(unstack d c)', '(stack d a)', '(put-down d)']);
  assert.throws(() => parsePlanText('(unstack d c)\n(stack d'), /Plan line 2: .*never closed/);
  assert.equal(formatStripsAction({ name: 'put-down', args: ['d'] }), '(put-down d)');
});
