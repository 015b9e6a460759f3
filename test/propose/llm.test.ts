import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import type { Candidate, ProposalBatch } from '../../src/core/step.ts';
import { builtinTemplate, builtinTemplateNames } from '../../src/prompts/load.ts';
import { parseTemplate } from '../../src/prompts/template.ts';
import { DEFAULT_LLM_K, llmProposer } from '../../src/propose/llm.ts';
import { ModelError, lastUserMessage, scriptedClient, type ScriptedAnswer } from './scripted-client.ts';
import { blocksworldTask, game24Environment, game24Task, stepContext, stripsEnvironment } from './step-context.ts';
import type { ModelRequest } from '../../src/models/types.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

/** Candidates one proposer call gives at the Blocksworld test task's root (a on b; c on the table). */
async function proposeBlocksworld(answers: ScriptedAnswer[] | ((request: ModelRequest) => ScriptedAnswer), options: { k?: number; mode?: 'samples' | 'list' } = {}) {
  const answer = typeof answers === 'function' ? answers : (request: ModelRequest) => answers[request.sample ?? 0];
  const client = scriptedClient(answer);
  const proposer = llmProposer({ client, k: options.k ?? (Array.isArray(answers) ? answers.length : 1), mode: options.mode });
  const ctx = await stepContext(stripsEnvironment, blocksworldTask(), [], 99);
  const batch = (await proposer.propose(ctx)) as ProposalBatch;
  return { candidates: batch.candidates, client };
}

async function proposeGame24(numbers: number[], answers: ScriptedAnswer[], options: { mode?: 'samples' | 'list'; k?: number } = {}) {
  const client = scriptedClient((request) => answers[request.sample ?? 0]);
  const proposer = llmProposer({ client, k: options.k ?? answers.length, mode: options.mode });
  const batch = (await proposer.propose(await stepContext(game24Environment, game24Task(numbers), [], 99))) as ProposalBatch;
  return { candidates: batch.candidates, client };
}

function valid(candidates: Candidate[]) {
  return candidates.filter((c) => c.action !== null && !c.invalidReason).map((c) => c.text);
}

describe('llmProposer reading chat replies', () => {
  const replies: [string, string][] = [
    ['```\nunstack the red block from on top of the blue block\n```', '(unstack a b)'],
    ['1. **Action:** pick up the orange block', '(pick-up c)'],
    ['<think>\nStacking the red block on the orange block won\'t work, the hand is empty.\nSo pick up the orange block?\n</think>\n\nUnstack the red block from on top of the blue block.', '(unstack a b)'],
    ['Sure! The next action is:\n\npick up the orange block\n\nThis leaves the red block where it is, for now.', '(pick-up c)'],
    ['I will unstack the red block from on top of the blue block, since it covers the blue block.', '(unstack a b)'],
    ['Next action: `(pick-up c)`', '(pick-up c)'],
    ['[PLAN]\npick up orange block\nstack the orange block on top of the red block\n[PLAN END]', '(pick-up c)'],
    ['stack the red block on top of the orange block\nunstack the red block from on top of the blue block', '(unstack a b)'],
  ];
  for (const [reply, expected] of replies) {
    it(`reads ${JSON.stringify(reply.slice(0, 60))}…`, async () => {
      const { candidates } = await proposeBlocksworld([reply]);
      assert.deepEqual(valid(candidates), [expected], JSON.stringify(candidates));
    });
  }

  it('reads Game of 24 steps written with prefixes, code spans and in a sentence', async () => {
    const { candidates } = await proposeGame24([4, 5, 6, 10], [
      'Next step: 4 + 6 = 10 (left: 5 10 10)',
      '<think>10-4=6 gives 5 6 6, then 6*5=30... no.</think>\n`10 - 4 = 6 (left: 5 6 6)`',
      "Let's compute 5 * 4 = 20 (left: 6 10 20) first.",
      '**Step 1:** 10 × 6 = 60 (left: 4 5 60)',
    ]);
    assert.deepEqual(valid(candidates), ['4 + 6 = 10 (left: 5 10 10)', '10 - 4 = 6 (left: 5 6 6)', '5 * 4 = 20 (left: 6 10 20)', '10 * 6 = 60 (left: 4 5 60)']);
  });
});

describe('llmProposer invalid replies', () => {
  it('turns unreadable, illegal and empty replies into invalid candidates with the raw text and a reason', async () => {
    const replies = [
      'I am not sure what to do here.',
      'stack the red block on top of the orange block',
      '',
      '<think>Let me think about the blue block',
      'pick up the purple block',
    ];
    const { candidates } = await proposeBlocksworld(replies);
    assert.equal(candidates.length, 5);
    candidates.forEach((c, i) => {
      assert.equal(c.action, null);
      assert.equal(c.text, replies[i]);
      assert.equal(c.proposer, 'llm:scripted:test');
    });
    const reasons = candidates.map((c) => c.invalidReason ?? '');
    assert.match(reasons[0], /Cannot read|not a PDDL name|not allowed/);
    assert.match(reasons[1], /\(stack a c\) is not allowed here: .*unmet preconditions \(holding a\)/);
    assert.equal(reasons[2], 'the reply is empty');
    assert.match(reasons[3], /nothing outside its reasoning/);
    assert.match(reasons[4], /Unknown block "the purple block"/);
  });

  it('reports the likeliest line of a long reply: one that parsed over one that did not', async () => {
    const { candidates } = await proposeGame24([4, 5, 6, 10], ['Trying things.\n4 + 5 = 10 (left: 6 10 10)\nThat is all.']);
    assert.match(candidates[0].invalidReason!, /4 \+ 5 = 9, not 10.*the likeliest, "4 \+ 5 = 10 \(left: 6 10 10\)", was read/);
  });

  it('turns a failed model call into an invalid candidate and keeps the other samples', async () => {
    const { candidates } = await proposeBlocksworld([new ModelError('rate_limited', '429 Too Many Requests after 3 retries'), 'pick up the orange block']);
    assert.equal(candidates.length, 2);
    assert.equal(candidates[0].action, null);
    assert.equal(candidates[0].text, '');
    assert.match(candidates[0].invalidReason!, /^model call failed \(scripted:test\): ModelError \(rate_limited\): 429 Too Many Requests/);
    assert.deepEqual(valid(candidates), ['(pick-up c)']);
  });
});

describe('llmProposer sampling', () => {
  it('sends k requests with the same messages and sample indices 0..k-1', async () => {
    const { client } = await proposeBlocksworld(() => 'pick up the orange block', { k: 4 });
    assert.deepEqual(client.requests.map((r) => r.sample), [0, 1, 2, 3]);
    assert.ok(client.requests.every((r) => r.temperature === 0.7 && JSON.stringify(r.messages) === JSON.stringify(client.requests[0].messages)));
    assert.match(lastUserMessage(client.requests[0]), /\[CURRENT STATE\]\nthe red block is clear, the orange block is clear, the hand is empty/);
  });

  it('asks the strategy\'s k, capped by its own k, and 3 when the strategy asks for all', async () => {
    const counts: number[] = [];
    for (const [strategyK, ownK] of [[2, undefined], [5, 3], [Infinity, undefined], [Infinity, 4]] as const) {
      const client = scriptedClient(() => 'pick up the orange block');
      await llmProposer({ client, k: ownK }).propose(await stepContext(stripsEnvironment, blocksworldTask(), [], strategyK));
      counts.push(client.requests.length);
    }
    assert.deepEqual(counts, [2, 3, DEFAULT_LLM_K, 4]);
  });

  it('merges repeated actions, also spelled differently, and gives each the share of samples as prior', async () => {
    const { candidates } = await proposeBlocksworld([
      'unstack the red block from on top of the blue block',
      'pick up the orange block',
      '(unstack a b)',
      'Unstack the red block from the blue block.',
      'nonsense',
    ]);
    assert.deepEqual(candidates.map((c) => [c.text, c.prior ?? null, c.invalidReason === undefined]), [
      ['(unstack a b)', 3 / 5, true],
      ['(pick-up c)', 1 / 5, true],
      ['nonsense', null, false],
    ]);
  });

  it('merges Game of 24 steps that make the same move, with or without the claimed result', async () => {
    const { candidates } = await proposeGame24([4, 5, 6, 10], ['6 + 4 = 10 (left: 5 10 10)', '4 + 6', '10 - 4 = 6 (left: 5 6 6)', '4 + 6 = 10 (left: 10 5 10)']);
    assert.deepEqual(candidates.map((c) => [c.text, c.prior]), [
      ['6 + 4 = 10 (left: 5 10 10)', 3 / 4],
      ['10 - 4 = 6 (left: 5 6 6)', 1 / 4],
    ]);
  });
});

describe('llmProposer list mode', () => {
  it('reads a real ToT propose reply (GPT-4, puzzle 900) into one valid candidate per line, from one request', { skip: NEEDS_SHARED_DATA }, async () => {
    const log = JSON.parse(readFileSync('../shared/data/tot/game24-tot-bfs-sample.json', 'utf8'));
    const entry = log.find((e: { idx: number }) => e.idx === 900);
    const reply = entry.steps[0].new_ys.join('');
    const lines = reply.trim().split('\n');
    const { candidates, client } = await proposeGame24([4, 5, 6, 10], [reply], { mode: 'list', k: 50 });
    assert.equal(client.requests.length, 1);
    assert.equal(client.requests[0].sample, 0);
    assert.match(lastUserMessage(client.requests[0]), /^Input: 4 5 6 10\nPossible next steps \(up to 50\):$/);
    assert.equal(valid(candidates).length, lines.length);
    assert.ok(candidates.every((c) => c.prior === 1 / lines.length));
  });

  it('skips commentary, keeps failed attempts as invalid candidates, and keeps at most k valid ones', async () => {
    const reply = [
      'Here are some possible next steps:',
      '1. 4 + 5 = 9 (left: 6 9 10)',
      '2. 10 - 6 = 4 (left: 4 4 5)',
      '3. 5 * 6 = 31 (left: 4 10 31)',
      '4. 4 + 5 = 9 (left: 6 9 10)',
      '5. 6 * 4 = 24 (left: 5 10 24)',
      'These keep the numbers small.',
    ].join('\n');
    const { candidates } = await proposeGame24([4, 5, 6, 10], [reply], { mode: 'list', k: 2 });
    assert.deepEqual(candidates.map((c) => [c.text, c.prior ?? null]), [
      ['4 + 5 = 9 (left: 6 9 10)', 2 / 5],
      ['10 - 6 = 4 (left: 4 4 5)', 1 / 5],
      ['3. 5 * 6 = 31 (left: 4 10 31)', null],
    ]);
    assert.match(candidates[2].invalidReason!, /5 \* 6 = 30, not 31/);
  });

  it('gives one invalid candidate for a reply with no action lines or a failed call', async () => {
    const prose = await proposeGame24([4, 5, 6, 10], ['Sure, I can help with that!'], { mode: 'list' });
    assert.deepEqual(prose.candidates.map((c) => [c.text, c.invalidReason]), [['Sure, I can help with that!', 'no line of the reply is an action (every line reads as commentary)']]);
    const failed = await proposeGame24([4, 5, 6, 10], [new ModelError('server', '503 Service Unavailable after 4 attempts')], { mode: 'list' });
    assert.match(failed.candidates[0].invalidReason!, /503 Service Unavailable after 4 attempts/);
  });

  it('lets a fatal model error (wrong model name, bad key) through, so the run stops', async () => {
    await assert.rejects(proposeGame24([4, 5, 6, 10], [new ModelError('not_found', 'model gpt-9 not found')], { mode: 'list' }), /model gpt-9 not found/);
  });
});

describe('llmProposer configuration', () => {
  it('is named after the model and records template, hash, k, temperature and mode', () => {
    const client = scriptedClient(() => '');
    const proposer = llmProposer({ client, template: 'game24/propose-list', k: 5, temperature: 0.2, mode: 'list' });
    assert.equal(proposer.name, 'llm:scripted:test');
    assert.deepEqual(proposer.config, {
      model: 'scripted:test',
      mode: 'list',
      k: 5,
      temperature: 0.2,
      template: 'game24/propose-list',
      templateHash: builtinTemplate('game24/propose-list').hash,
    });
  });

  it('records every built-in it may pick, with hashes, when no template is given', () => {
    const config = llmProposer({ client: scriptedClient(() => '') }).config as { template: string; templates: Record<string, string> };
    assert.equal(config.template, 'auto');
    assert.deepEqual(Object.keys(config.templates).sort(), builtinTemplateNames().filter((n) => n.endsWith('/propose')).sort());
    assert.equal(config.templates['blocksworld/propose'], builtinTemplate('blocksworld/propose').hash);
  });

  it('uses a custom template and fails at construction when it does not fit the mode', async () => {
    const template = parseTemplate('### user\nNumbers: {{state}}. One step please.\n', 'mine');
    const client = scriptedClient(() => '4 + 5');
    await llmProposer({ client, template }).propose(await stepContext(game24Environment, game24Task([4, 5, 6, 10])));
    assert.deepEqual(client.requests[0].messages, [{ role: 'user', content: 'Numbers: 4 5 6 10. One step please.' }]);
    assert.throws(() => llmProposer({ client, template: parseTemplate('{{candidates}}', 'judge') }), UsageError);
    assert.throws(() => llmProposer({ client, template: '/no/such/file.prompt' }), /no prompt template file/);
    assert.throws(() => llmProposer({ client, k: 0 }), /k must be a whole number/);
  });
});
