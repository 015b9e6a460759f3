import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineEnvironment, type Task } from '../../src/core/environment.ts';
import { ActionParseError } from '../../src/core/errors.ts';
import { defineProposer, type ProposeContext } from '../../src/core/step.ts';
import { createModelClient } from '../../src/models/client.ts';
import { hiddenGoalUser, isAsk, modelUser, withAsk, type AskState } from '../../src/people/ask.ts';
import { runSearch } from '../../src/search/run.ts';
import { greedy } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';

/** Order a coffee; what the user wants (size, milk) is in the task's hidden goal, not in its words. */
type Order = { size: string; milk: string };
type CoffeeState = { ordered: Order | null };
const coffee = defineEnvironment<CoffeeState, Order, { hidden: Order }>({
  name: 'coffee',
  version: '1',
  actionSchema: z.object({ size: z.string(), milk: z.string() }),
  formatAction: (o) => `order ${o.size} ${o.milk}`,
  parseAction(text) {
    const m = /^order (\w+) (\w+)$/.exec(text.trim());
    if (!m) throw new ActionParseError(`expected "order <size> <milk>", got "${text}"`);
    return { size: m[1], milk: m[2] };
  },
  load: (task) => ({
    initialState: { ordered: null },
    goalText: 'Order the user a coffee.',
    step: (_s, order) => {
      const success = order.size === task.spec.hidden.size && order.milk === task.spec.hidden.milk;
      return { state: { ordered: order }, observation: success ? 'the user is happy' : 'not what the user wanted', reward: success ? 1 : 0, done: true, success, check: { valid: true } };
    },
    render: (s) => (s.ordered ? `ordered ${s.ordered.size} ${s.ordered.milk}` : 'nothing ordered'),
    stateKey: (s) => JSON.stringify(s.ordered),
  }),
});

const GOALS: Order[] = [{ size: 'large', milk: 'oat' }, { size: 'small', milk: 'whole' }, { size: 'medium', milk: 'whole' }, { size: 'large', milk: 'soy' }];
const tasks: Task<{ hidden: Order }>[] = GOALS.map((hidden, i) => ({ id: `c${i}`, env: 'coffee+ask', source: 'test', spec: { hidden } }));

/** An agent that asks when it may and it has no answer yet, then orders what it was told; otherwise it guesses. */
const agent = (mayAsk: boolean) =>
  defineProposer<AskState<CoffeeState>, Order | { ask: string }>({
    name: mayAsk ? 'asks' : 'guesses',
    local: true,
    propose(ctx: ProposeContext<AskState<CoffeeState>, Order | { ask: string }>) {
      const told = ctx.state.answers.map((a) => a.answer).join(' ');
      const size = /size: (\w+)/.exec(told)?.[1];
      const milk = /milk: (\w+)/.exec(told)?.[1];
      const text = size && milk ? `order ${size} ${milk}` : mayAsk ? 'ask: which size and which milk would you like?' : 'order medium whole';
      return [{ action: ctx.env.parseAction(text), text, proposer: this.name }];
    },
  });

test('an agent that may ask a simulated user with a hidden goal beats one that may not, and pays for each question', async () => {
  const env = withAsk(coffee, { answererFor: (task) => hiddenGoalUser((task.spec as { hidden: Order }).hidden) });
  const store = createMemoryStore();
  const asking = await runSearch({ env, tasks, proposer: agent(true), strategy: greedy(), store });
  const guessing = await runSearch({ env, tasks, proposer: agent(false), strategy: greedy(), store });
  assert.equal(asking.stats.solved, 4);
  assert.equal(guessing.stats.solved, 1, 'a guess is right only where the hidden goal happens to be the default');
  const tree = await store.getTree(asking.runId, 'c0');
  const askNode = tree.nodes.find((n) => isAsk(n.action))!;
  assert.equal(askNode.observation, 'user: size: large; milk: oat');
  assert.equal(askNode.reward, -0.05, 'asking costs');
  assert.deepEqual(asking.results[0].plan, ['ask: which size and which milk would you like?', 'order large oat']);
});

test('a model plays the user: its hidden goal is in its prompt, the answer is a step, the call is recorded', async () => {
  const server = await startFakeOpenAIServer({
    script: (body) => {
      const system = String(body.messages![0].content);
      const wants = /What you want .*?: (.*)/.exec(system)![1];
      return `Oh, ${wants.toLowerCase()}`;
    },
  });
  try {
    const store = createMemoryStore();
    const client = createModelClient({ spec: `openai-compatible:${server.url}#user`, store, env: { STEPWISE_API_KEY: 'k' } });
    const env = withAsk(coffee, { answererFor: (task) => modelUser({ client, hiddenGoal: `Size: ${(task.spec as { hidden: Order }).hidden.size}, milk: ${(task.spec as { hidden: Order }).hidden.milk}.` }) });
    const result = await runSearch({ env, tasks: tasks.slice(0, 2), proposer: agent(true), strategy: greedy(), store });
    assert.equal(result.stats.solved, 2);
    assert.equal(server.requests.length, 2);
    const tree = await store.getTree(result.runId, 'c1');
    assert.equal(tree.modelCalls.length, 1, 'the simulated user\'s call is recorded against the ask step');
    assert.match(tree.nodes.find((n) => isAsk(n.action))!.observation, /^user: Oh, size: small, milk: whole\.$/);
  } finally {
    await server.close();
  }
});

test('ask actions parse from a model\'s words and are refused past the question limit', async () => {
  const env = withAsk(coffee, { answererFor: () => async () => 'no idea', maxQuestions: 1 });
  assert.deepEqual(env.parseAction('Ask the user: which milk?'), { ask: 'which milk?' });
  assert.deepEqual(env.parseAction('order large oat'), { size: 'large', milk: 'oat' });
  assert.throws(() => env.parseAction('ask:   '), /needs a question/);
  const problem = env.load(tasks[0]);
  const once = await problem.step(problem.initialState, { ask: 'which size?' });
  const twice = await problem.step(once.state, { ask: 'which milk?' });
  assert.equal(twice.check.valid, false);
  assert.match(twice.check.reason!, /at most 1 questions/);
});
