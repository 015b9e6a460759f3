import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directReadings, embeddedReadings, rankedLines, replyLines, stripThinking } from '../../src/propose/reply-lines.ts';

describe('stripThinking', () => {
  it('drops closed blocks, a block whose opening tag the chat template ate, and a block cut off by the token limit', () => {
    assert.equal(stripThinking('<think>\nmaybe a\n</think>\nb').trim(), 'b');
    assert.equal(stripThinking('<Thinking>x</Thinking>a<reasoning>y</reasoning>b'), 'ab');
    assert.equal(stripThinking('I should unstack first.\n</think>\n\npick up the red block').trim(), 'pick up the red block');
    assert.equal(stripThinking('pick up the red block\n<think>but wait, maybe').trim(), 'pick up the red block');
    assert.equal(stripThinking('<think>never finished').trim(), '');
  });
});

describe('replyLines', () => {
  it('cleans list markers, Action: prefixes, emphasis and quotes, and marks them as answers', () => {
    const lines = replyLines('Sure! Here are the steps:\n\n1. **Action:** pick up the red block\n- `(stack a b)`\n> Next step: 4 + 6 = 10\n## Move: put down the blue block\nThis frees the hand.');
    assert.deepEqual(lines.map((l) => [l.text, l.marked, l.prose]), [
      ['Sure! Here are the steps:', false, true],
      ['pick up the red block', true, false],
      ['(stack a b)', true, false],
      ['4 + 6 = 10', true, false],
      ['put down the blue block', true, false],
      ['This frees the hand.', false, true],
    ]);
    assert.equal(lines[1].raw, '1. **Action:** pick up the red block');
  });

  it('drops fence delimiters and marks the fenced lines; negative numbers and decimals are not list markers', () => {
    const lines = replyLines('The step:\n```text\n-1 + 25 = 24 (left: 24)\n1.5 * 16 = 24\n```\nDone.');
    assert.deepEqual(lines.map((l) => [l.text, l.marked]), [
      ['The step:', false],
      ['-1 + 25 = 24 (left: 24)', true],
      ['1.5 * 16 = 24', true],
      ['Done.', false],
    ]);
  });

  it('reads PlanBench tags and echoed prompt lines as prose, and ranks marked, then plain, then prose lines', () => {
    const lines = replyLines('[PLAN]\nInput: 4 4 6 8\nunstack the red block from on top of the blue block\n1. pick up the red block\n[PLAN END]');
    assert.deepEqual(lines.filter((l) => l.prose).map((l) => l.text), ['[PLAN]', 'Input: 4 4 6 8', '[PLAN END]']);
    assert.deepEqual(rankedLines(lines).map((l) => l.text), [
      'pick up the red block',
      'unstack the red block from on top of the blue block',
      '[PLAN]',
      'Input: 4 4 6 8',
      '[PLAN END]',
    ]);
  });
});

describe('readings of one line', () => {
  it('tries the whole line first, then the line cut before trailing prose, longest first', () => {
    assert.deepEqual(directReadings('unstack the red block from on top of the blue block, because the blue block must be clear'), [
      'unstack the red block from on top of the blue block, because the blue block must be clear',
      'unstack the red block from on top of the blue block',
    ]);
    assert.deepEqual(directReadings('10 - 4 = 6 (left: 5 6 6)'), ['10 - 4 = 6 (left: 5 6 6)', '10 - 4 = 6']);
  });

  it('finds actions embedded in sentences: code spans, PDDL groups, from a Blocksworld verb, from the first number', () => {
    assert.ok(embeddedReadings('I would now do `(pick-up a)` here').includes('(pick-up a)'));
    assert.ok(embeddedReadings('The best move is (unstack d c) for now').includes('(unstack d c)'));
    assert.ok(embeddedReadings('I think we should pick up the red block.').includes('pick up the red block.'));
    assert.ok(embeddedReadings("Let's try 4 + 8 = 12 (left: 6 8 12)").includes('4 + 8 = 12 (left: 6 8 12)'));
  });
});
