import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { game24Environment } from '../../src/envs/game24/env.ts';
import { isSolvable } from '../../src/envs/game24/solver.ts';
import { BLOCKSWORLD_DOMAIN, blocksworldProblemText } from '../../src/envs/strips/blocksworld-domain.ts';
import { blocksworldStateText, parseBlocksworldActionText } from '../../src/envs/strips/blocksworld-language.ts';
import { loadStripsSpec } from '../../src/envs/strips/strips-spec.ts';
import type { StripsState } from '../../src/envs/strips/strips-problem.ts';
import { builtinTemplate } from '../../src/prompts/load.ts';
import { renderTemplate, type Template } from '../../src/prompts/template.ts';
import { graphEnvironment, graphTask } from '../../src/testing/graph-env.ts';
import { renderPrompt } from '../../src/prompts/variables.ts';
import { promptViewFor } from '../../src/prompts/view.ts';
import { blocksworldTask, game24Task, stepContext, stripsEnvironment } from '../propose/step-context.ts';
import type { ChatMessage } from '../../src/models/types.ts';

/** The few-shot turns of a built-in template: every message but the last user message, whose values are left empty. */
function fewShot(template: Template): ChatMessage[] {
  const values = Object.fromEntries([...template.placeholders].map((p) => [p, '']));
  return renderTemplate(template, values).slice(0, -1);
}

/** Pairs each few-shot user message with the assistant reply after it. */
function exchanges(template: Template): { user: string; assistant: string }[] {
  const messages = fewShot(template);
  return messages.flatMap((m, i) => (m.role === 'user' && messages[i + 1]?.role === 'assistant' ? [{ user: m.content, assistant: messages[i + 1].content }] : []));
}

function game24Problem(numbers: string) {
  return game24Environment.load({ id: 'x', env: 'game24', source: 'test', spec: { numbers: numbers.split(' ').map(Number) } });
}

describe('built-in Game of 24 templates', () => {
  it('few-shot steps in the propose templates are correct steps from the numbers shown', async () => {
    for (const name of ['game24/propose', 'game24/propose-list']) {
      const shots = exchanges(builtinTemplate(name));
      assert.ok(shots.length > 0, name);
      for (const { user, assistant } of shots) {
        const input = /^Input: (.+)$/m.exec(user)![1];
        const problem = game24Problem(input);
        for (const line of assistant.split('\n')) {
          const transition = await problem.step(problem.initialState, game24Environment.parseAction(line));
          assert.ok(transition.check.valid, `${name}: "${line}" from ${input}: ${transition.check.reason}`);
        }
      }
    }
  });

  it('value examples say sure only for solvable numbers and impossible only for unsolvable ones', () => {
    const shots = exchanges(builtinTemplate('game24/value'));
    const verdicts = new Set<string>();
    for (const { user, assistant } of shots) {
      const verdict = assistant.split('\n').at(-1)!;
      verdicts.add(verdict);
      if (verdict === 'sure') assert.ok(isSolvable(user.split(' ')), user);
      if (verdict === 'impossible') assert.ok(!isSolvable(user.split(' ')), user);
    }
    assert.deepEqual([...verdicts].sort(), ['impossible', 'likely', 'sure']);
  });

  it('the pick example picks a step that leads to 24', () => {
    const [{ user, assistant }] = exchanges(builtinTemplate('game24/pick'));
    const picked = Number(/Best: (\d+)/.exec(assistant)![1]);
    const line = new RegExp(`^${picked}\\. (.+)$`, 'm').exec(user)![1];
    const left = /\(left: ([^)]+)\)/.exec(line)![1];
    assert.ok(isSolvable(left.split(' ')));
  });

  it('renders ToT\'s "Input: … / Possible next steps:" with the numbers left at the node', async () => {
    const ctx = await stepContext(game24Environment, game24Task([4, 5, 6, 10]), ['10 - 4'], 5);
    const view = promptViewFor(ctx.env, ctx.problem);
    assert.equal(view.family, 'game24');
    const messages = await renderPrompt(builtinTemplate('game24/propose-list'), ctx, view, { k: '5' });
    assert.equal(messages.at(-1)!.content, 'Input: 5 6 6\nPossible next steps (up to 5):');
  });
});

/** The examples' initial states, as facts: all blocks on the table; and a on b with c, d on the table. */
const EXAMPLE_STARTS: string[][] = [
  ['(clear a)', '(clear b)', '(clear c)', '(handempty)', '(ontable a)', '(ontable b)', '(ontable c)'],
  ['(clear a)', '(clear c)', '(clear d)', '(handempty)', '(on a b)', '(ontable b)', '(ontable c)', '(ontable d)'],
];

function exampleProblem(facts: string[]) {
  const blocks = [...new Set(facts.flatMap((f) => f.slice(1, -1).split(' ').slice(1)))].sort();
  return loadStripsSpec({ domain: BLOCKSWORLD_DOMAIN, problem: blocksworldProblemText('example', blocks, facts, ['(on a b)']) });
}

describe('built-in Blocksworld templates', () => {
  for (const name of ['blocksworld/propose', 'blocksworld/propose-list', 'blocksworld/value', 'blocksworld/pick']) {
    it(`${name}: few-shot examples describe real states, reached by their plans, and answer with allowed actions`, () => {
      const shots = exchanges(builtinTemplate(name));
      assert.ok(shots.length > 0);
      for (const { user, assistant } of shots) {
        const initial = /As initial conditions I have that, (.+)\.$/m.exec(user)![1];
        const facts = EXAMPLE_STARTS.find((f) => blocksworldStateText(f) === initial);
        assert.ok(facts, `unknown example start: ${initial}`);
        const problem = exampleProblem(facts);
        let state: StripsState = problem.initialState;
        const plan = /\[PLAN\]\n([\s\S]*?)\n\n/.exec(user)![1];
        for (const line of plan.split('\n').filter((l) => l !== '(no actions yet)')) {
          const transition = problem.step(state, parseBlocksworldActionText(line));
          assert.ok(transition.check.valid, `${line}: ${transition.check.reason}`);
          state = transition.state;
        }
        const shown = /\[(?:CURRENT STATE|STATE REACHED)\]\n(.+)/.exec(user)![1];
        assert.equal(shown, blocksworldStateText(state.facts));
        const answers = name.endsWith('/pick')
          ? [new RegExp(`^${/Best: (\d+)/.exec(assistant)![1]}\\. (.+)$`, 'm').exec(user)![1]]
          : name.endsWith('/value') ? [] : assistant.split('\n');
        for (const answer of answers) assert.ok(problem.check(state, parseBlocksworldActionText(answer)).valid, answer);
      }
    });
  }

  it('renders the task in PlanBench words: initial state, goal, plan so far and current state', async () => {
    const template = builtinTemplate('blocksworld/propose');
    const root = await stepContext(stripsEnvironment, blocksworldTask());
    const view = promptViewFor(root.env, root.problem);
    assert.equal(view.family, 'blocksworld');
    const atRoot = (await renderPrompt(template, root, view)).at(-1)!.content;
    assert.match(atRoot, /^As initial conditions I have that, the red block is clear, the orange block is clear, the hand is empty, the red block is on top of the blue block, .*\.$/m);
    assert.match(atRoot, /^My goal is to have that the blue block is on top of the orange block and the red block is on top of the blue block\.$/m);
    assert.match(atRoot, /\[PLAN\]\n\(no actions yet\)\n\n\[CURRENT STATE\]/);

    const later = await stepContext(stripsEnvironment, blocksworldTask(), ['(unstack a b)', '(put-down a)']);
    const text = (await renderPrompt(template, later, view)).at(-1)!.content;
    assert.match(text, /\[PLAN\]\nunstack the red block from on top of the blue block\nput down the red block\n\n\[CURRENT STATE\]\n/);
    assert.ok(text.includes(`[CURRENT STATE]\n${blocksworldStateText((later.state as StripsState).facts)}\n`));
  });
});

describe('built-in generic templates', () => {
  it('list the allowed actions when the environment can enumerate them, with how many were left out', async () => {
    const fan = Object.fromEntries([['s', Array.from({ length: 25 }, (_, i) => `v${i}`)]]);
    const ctx = await stepContext(graphEnvironment, graphTask('fan', { start: 's', goal: 'v24', edges: fan }));
    const view = promptViewFor(ctx.env, ctx.problem);
    assert.equal(view.family, 'generic');
    const text = (await renderPrompt(builtinTemplate('generic/propose'), ctx, view)).at(-1)!.content;
    assert.match(text, /^Task: reach v24$/m);
    assert.match(text, /Current state:\nat s\n\nActions allowed now:\ngo v0\ngo v1\n/);
    assert.match(text, /go v19\n\(and 5 more\)\n\nWhat is the next action\?$/);
    assert.ok(!text.includes('go v20'));
  });
});
