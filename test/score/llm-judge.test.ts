import type { JudgedScore } from '../../src/core/step.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Candidate } from '../../src/core/step.ts';
import { LINEAR_VALUE_WEIGHTS, pickJudge, TOT_VALUE_WEIGHTS, valueJudge } from '../../src/score/llm-judge.ts';
import { builtinTemplate } from '../../src/prompts/load.ts';
import { ModelError, lastUserMessage, scriptedClient, type ScriptedAnswer } from '../propose/scripted-client.ts';
import { blocksworldTask, game24Environment, game24Task, stepContext, stripsEnvironment } from '../propose/step-context.ts';
import type { ModelRequest } from '../../src/models/types.ts';

async function game24Candidates(numbers: number[], texts: string[], path: string[] = []) {
  const ctx = await stepContext(game24Environment, game24Task(numbers), path);
  const candidates: Candidate[] = texts.map((text) => ({ action: game24Environment.parseAction(text), text, proposer: 'test' }));
  return { ctx, candidates };
}

/** Answers by the numbers the value prompt asks about (its last user message), and by sample index. */
function byNumbers(table: Record<string, ScriptedAnswer[]>) {
  return (request: ModelRequest) => table[lastUserMessage(request)]?.[request.sample ?? 0] ?? 'no idea';
}

describe('valueJudge', () => {
  it('averages the verdict weights of its samples for the state each candidate leads to', async () => {
    const client = scriptedClient(byNumbers({
      '5 6 6': ['sure', 'likely', 'sure'],
      '5 10 10': ['impossible', 'impossible', 'likely'],
    }));
    const { ctx, candidates } = await game24Candidates([4, 5, 6, 10], ['10 - 4 = 6 (left: 5 6 6)', '4 + 6 = 10 (left: 5 10 10)']);
    const scores = await valueJudge({ client, weights: LINEAR_VALUE_WEIGHTS }).score(ctx, candidates);
    assert.deepEqual(scores, [(1 + 0.5 + 1) / 3, (0 + 0 + 0.5) / 3]);
    assert.deepEqual(client.requests.map((r) => r.sample), [0, 1, 2, 0, 1, 2]);
  });

  it('by default ranks as ToT does: one sure and two impossibles outweigh three likelies', async () => {
    const client = scriptedClient(byNumbers({ '5 6 6': ['sure', 'impossible', 'impossible'], '5 10 10': ['likely', 'likely', 'likely'] }));
    const { ctx, candidates } = await game24Candidates([4, 5, 6, 10], ['10 - 4', '4 + 6']);
    const [a, b] = (await valueJudge({ client }).score(ctx, candidates)) as number[];
    assert.ok(a > b);
    // ToT sums 20 / 1 / 0.001 over the samples; the judge's mean is that sum / (20 × samples).
    assert.ok(Math.abs(b - 3 / 20 / 3) < 1e-12 && Math.abs(b - TOT_VALUE_WEIGHTS.likely) < 1e-12);
    assert.ok(Math.abs(a - (20 + 0.001 + 0.001) / 20 / 3) < 1e-12);
  });

  it('leaves unreadable replies and failed calls out of the mean, and gives null when none is left', async () => {
    const client = scriptedClient(byNumbers({
      '5 6 6': ['I would need to check that.', 'likely', new ModelError('rate_limited', '429 after retries')],
      '5 10 10': ['hmm', '', new ModelError('server', '500')],
    }));
    const { ctx, candidates } = await game24Candidates([4, 5, 6, 10], ['10 - 4', '4 + 6']);
    const [partly, none] = (await valueJudge({ client, weights: LINEAR_VALUE_WEIGHTS }).score(ctx, candidates)) as JudgedScore[];
    // An unreadable reply is counted and explained, never scored 0; a failed call is not a judgment at all.
    assert.deepEqual([partly.value, partly.judgments, partly.unparsed], [0.5, 2, 1]);
    assert.match(partly.detail!, /^1 judgment\(s\) not read \(no sure\/likely\/impossible verdict\); excluded from the value\. First reply: "I would need to check that\."$/);
    assert.deepEqual([none.value, none.judgments, none.unparsed], [null, 2, 2]);
    assert.match(none.detail!, /First reply: "hmm"/);
  });

  it('does not ask about states the environment decides, and judges a state reached twice once', async () => {
    const client = scriptedClient(() => 'sure');
    const two = await game24Candidates([4, 6, 7, 8], ['4 * 6 = 24 (left: 7 8 24)', '6 * 4', '3 + 3']);
    assert.deepEqual(await valueJudge({ client, samples: 2 }).score(two.ctx, two.candidates), [1, 1, 0]);
    assert.equal(client.requests.length, 2, 'the state 7 8 24 is judged once (2 samples); the invalid step 3 + 3 not at all');
    const last = await game24Candidates([4, 6], ['4 * 6', '4 + 6']);
    assert.deepEqual(await valueJudge({ client }).score(last.ctx, last.candidates), [1, 0]);
    assert.equal(client.requests.length, 2, 'a reached goal and a dead end need no call');
  });

  it('shows the judge the state the candidate leads to, and the candidate in the history', async () => {
    const client = scriptedClient(() => 'likely');
    const ctx = await stepContext(stripsEnvironment, blocksworldTask(), ['(unstack a b)']);
    await valueJudge({ client, samples: 1 }).score(ctx, [{ action: { name: 'put-down', args: ['a'] }, text: '(put-down a)', proposer: 't' }]);
    const prompt = lastUserMessage(client.requests[0]);
    assert.match(prompt, /\[PLAN\]\nunstack the red block from on top of the blue block\nput down the red block\n\n\[STATE REACHED\]\nthe red block is clear, the blue block is clear, the orange block is clear, the hand is empty/);
  });

  it('records its model, samples, weights and template', () => {
    const judge = valueJudge({ client: scriptedClient(() => ''), template: 'game24/value', samples: 5 });
    assert.equal(judge.name, 'llm-value:scripted:test');
    assert.deepEqual(judge.config, { model: 'scripted:test', samples: 5, temperature: 0.7, weights: TOT_VALUE_WEIGHTS, template: 'game24/value', templateHash: builtinTemplate('game24/value').hash });
    assert.throws(() => valueJudge({ client: scriptedClient(() => ''), samples: 0 }), /samples must be a whole number/);
  });
});

describe('pickJudge', () => {
  it('numbers the candidates for the judge and scores the picked one 1, the others 0', async () => {
    const client = scriptedClient(() => 'Dividing keeps 24 reachable.\nBest: 2');
    const { ctx, candidates } = await game24Candidates([2, 5, 8, 11], ['2 + 5 = 7 (left: 7 8 11)', '8 / 2 = 4 (left: 4 5 11)', '11 - 8']);
    assert.deepEqual(await pickJudge({ client }).score(ctx, candidates), [0, 1, 0]);
    assert.equal(client.requests.length, 1);
    assert.equal(client.requests[0].temperature, 0);
    assert.equal(lastUserMessage(client.requests[0]), 'Input: 2 5 8 11\nCandidate next steps:\n1. 2 + 5 = 7 (left: 7 8 11)\n2. 8 / 2 = 4 (left: 4 5 11)\n3. 11 - 8');
  });

  it('has no opinion (null for all) when the reply names no candidate, one out of range, or the call fails', async () => {
    const { ctx, candidates } = await game24Candidates([2, 5, 8, 11], ['2 + 5', '8 / 2', '11 - 8']);
    for (const [answer, reason] of [['They are all fine.', 'the reply has no candidate number'], ['Best: 4', 'the reply picks 4, but the candidates are numbered 1 to 3']] as const) {
      const scores = (await pickJudge({ client: scriptedClient(() => answer) }).score(ctx, candidates)) as JudgedScore[];
      assert.ok(scores.every((s) => s.value === null && s.unparsed === 1 && s.detail!.includes(reason)), JSON.stringify(scores));
    }
    assert.deepEqual(await pickJudge({ client: scriptedClient(() => new ModelError('rate_limited', 'rate limited')) }).score(ctx, candidates), [null, null, null]);
  });

  it('gives a lone candidate 1 without asking, and shows Blocksworld candidates in words', async () => {
    const client = scriptedClient(() => 'Best: 1');
    const ctx = await stepContext(stripsEnvironment, blocksworldTask());
    const lone = [{ action: { name: 'pick-up', args: ['c'] }, text: '(pick-up c)', proposer: 't' }];
    assert.deepEqual(await pickJudge({ client }).score(ctx, lone), [1]);
    assert.equal(client.requests.length, 0);
    const two = [...lone, { action: { name: 'unstack', args: ['a', 'b'] }, text: '(unstack a b)', proposer: 't' }];
    assert.deepEqual(await pickJudge({ client }).score(ctx, two), [1, 0]);
    assert.match(lastUserMessage(client.requests[0]), /\[CANDIDATES\]\n1\. pick up the orange block\n2\. unstack the red block from on top of the blue block\n/);
  });
});
