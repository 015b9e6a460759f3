import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StepwiseError } from '../../src/core/errors.ts';
import { keyNodeFromWebCanvas, resolveKeyNodes, type KeyNode } from '../../src/eval/key-node.ts';
import { clampScore, exactMatch, factsContain, includeMatch, keyNodeHits, numbersIn, numericMatch, regexMatch, scoreStep, type StepView } from '../../src/eval/match.ts';
import { scoreTask } from '../../src/eval/metrics.ts';

function step(index: number, fields: Partial<StepView> = {}): StepView {
  return { index, nodeId: `r.${index}`, action: '', observation: '', state: '', facts: [], last: false, ...fields };
}

describe('match functions', () => {
  test('exact: equal strings only; ignoreCase lower-cases both (WebCanvas text matches)', () => {
    assert.equal(exactMatch('(stack a b)', '(stack a b)'), 1);
    assert.equal(exactMatch('(stack a b)', '(stack a b) '), 0);
    assert.equal(exactMatch('Paris', 'paris'), 0);
    assert.equal(exactMatch('Paris', 'paris', true), 1);
  });
  test('include: the reference inside the input, not the other way round', () => {
    assert.equal(includeMatch('4 + 8 = 12 (left: 4 6 12)', '= 12'), 1);
    assert.equal(includeMatch('= 12', '4 + 8 = 12'), 0);
    assert.equal(includeMatch('LEFT: 24', '(left', true), 0);
    assert.equal(includeMatch('(LEFT: 24)', '(left', true), 1);
  });
  test('regex with flags', () => {
    assert.equal(regexMatch('(unstack b c)', '^\\(unstack \\w+ c\\)$'), 1);
    assert.equal(regexMatch('(UNSTACK b c)', '^\\(unstack'), 0);
    assert.equal(regexMatch('(UNSTACK b c)', '^\\(unstack', 'i'), 1);
  });
  test('numeric: numbers in text, fractions as values, within an absolute tolerance', () => {
    assert.deepEqual(numbersIn('6 / 4 = 3/2 (left: -2 1.5 24)'), [6, 4, 1.5, -2, 1.5, 24]);
    // A minus between two numbers is a subtraction, not a sign.
    assert.deepEqual(numbersIn('10-6=4 (left: 4 -1)'), [10, 6, 4, 4, -1]);
    assert.deepEqual(numbersIn('(8-2)*4 = 24'), [8, 2, 4, 24]);
    assert.equal(numericMatch([1.5, 12], 12), 1);
    assert.equal(numericMatch([11.9], 12), 0);
    assert.equal(numericMatch([11.9], 12, 0.1), 1);
    assert.equal(numericMatch([11.8], 12, 0.1), 0);
  });
  test('facts: multiset containment, so a repeated number must be there twice', () => {
    assert.equal(factsContain(['(on a b)', '(clear a)', '(handempty)'], ['(on a b)', '(handempty)']), true);
    assert.equal(factsContain(['(on a b)'], ['(on a b)', '(clear a)']), false);
    assert.equal(factsContain(['4', '6', '12'], ['4', '4']), false);
    assert.equal(factsContain(['4', '4', '6'], ['4', '4']), true);
    assert.equal(factsContain([], []), true);
  });
  test('a semantic score is clamped to [0, 1] and kept to two decimals, as WebCanvas does', () => {
    assert.equal(clampScore(0.666), 0.67);
    assert.equal(clampScore(1.4), 1);
    assert.equal(clampScore(-2), 0);
    assert.equal(clampScore(Number.NaN), 0);
  });
});

describe('targets', () => {
  test('answer reads only the last step; facts nodes read the state', async () => {
    const answer: KeyNode = { type: 'include', value: '= 24', target: 'answer' };
    assert.equal(await scoreStep(answer, step(1, { action: '4 * 6 = 24', last: false })), 0);
    assert.equal(await scoreStep(answer, step(3, { action: '4 * 6 = 24', last: true })), 1);
    const numeric: KeyNode = { type: 'numeric', value: 1.5, target: 'facts' };
    assert.equal(await scoreStep(numeric, step(1, { facts: ['3/2', '8'] })), 1);
    const observation: KeyNode = { type: 'regex', pattern: 'Invalid', target: 'observation' };
    assert.equal(await scoreStep(observation, step(1, { action: 'Invalid', observation: 'ok' })), 0);
  });
});

describe('key nodes over a path (WebCanvas semantics)', () => {
  const nodes = resolveKeyNodes([
    { type: 'include', value: 'b' },
    { type: 'include', value: 'a' },
    { type: 'facts', contains: ['(on a b)'] },
  ]);

  test('nodes are unordered: met in the reverse of the listed order still counts, each at its first step', async () => {
    const path = [step(1, { action: 'a' }), step(2, { action: 'b' }), step(3, { action: 'c', facts: ['(on a b)'], last: true })];
    const hits = await keyNodeHits(nodes, path);
    assert.deepEqual(hits.map((h) => [h.id, h.score, h.step]), [['k1', 1, 2], ['k2', 1, 1], ['k3', 1, 3]]);
    const score = scoreTask(hits, path.length);
    assert.equal(score.success, true);
    assert.equal(score.efficiency, 1);
  });

  test('a node keeps its best score even when a later state undoes it', async () => {
    const path = [step(1, { facts: ['(on a b)'] }), step(2, { facts: [] })];
    const [hit] = await keyNodeHits(resolveKeyNodes([{ type: 'facts', contains: ['(on a b)'] }]), path);
    assert.equal(hit.met, true);
    assert.equal(hit.nodeId, 'r.1');
  });

  test('a fractional semantic score blocks success and near success counts by score, not by nodes met', async () => {
    const semantic = resolveKeyNodes([{ type: 'include', value: 'x' }, { type: 'semantic', reference: 'put block a on b' }]);
    const judge = async (input: string) => (input.includes('stack a b') ? 0.5 : 0.2);
    const path = [step(1, { action: 'x' }), step(2, { action: '(stack a b)', last: true })];
    const hits = await keyNodeHits(semantic, path, judge);
    assert.deepEqual(hits.map((h) => [h.score, h.met]), [[1, true], [0.5, false]]);
    const score = scoreTask(hits, 2);
    assert.equal(score.success, false, 'one node at 0.5: not all nodes met');
    assert.equal(score.scoreSum, 1.5);
    assert.equal(score.nearSuccess, false, 'total − sum = 0.5, not 1');
    // Steps per key node: 2 steps / 1.5 points of key nodes.
    assert.equal(score.efficiency, 2 / 1.5);
  });

  test('the judge is not asked again once a node scores 1, nor for an empty step', async () => {
    let asked = 0;
    const judge = async () => {
      asked++;
      return 1;
    };
    const path = [step(1, { action: '' }), step(2, { action: 'a' }), step(3, { action: 'b' })];
    const [hit] = await keyNodeHits(resolveKeyNodes([{ type: 'semantic', reference: 'anything' }]), path, judge);
    assert.equal(hit.step, 2);
    assert.equal(asked, 1);
  });
});

describe("WebCanvas's task format", () => {
  test('final_answer and cache_data matches become lower-cased text checks on the answer or any step', () => {
    assert.deepEqual(keyNodeFromWebCanvas({ match_function_name: 'final_answer_exact_match', content: { reference_answer: 'Left: 24' } }), {
      type: 'exact', value: 'Left: 24', target: 'answer', ignoreCase: true, id: 'wc1', label: 'final_answer_exact_match: Left: 24',
    });
    const included = keyNodeFromWebCanvas({ match_function_name: 'cache_data_included_match', content: { reference_answer: 'stack' } }, 2);
    assert.equal(included.type, 'include');
    assert.equal(included.target, 'action');
    assert.equal(included.id, 'wc3');
    assert.equal(keyNodeFromWebCanvas({ match_function_name: 'final_answer_semantic_match', content: { reference_answer: 'the sum' } }).type, 'semantic');
  });
  test('Mind2Web-Live URL entries read the page URL after each step, or one decoded query parameter (content.key)', async () => {
    const byKey = keyNodeFromWebCanvas({ match_function_name: 'url_exactly_match', content: { reference_answer: 'blue kettle', key: 'q', url: 'https://shop.example/results?q=blue+kettle' } });
    assert.deepEqual(byKey, { type: 'url', match: 'exact', value: 'blue kettle', key: 'q', id: 'wc1', label: 'url_exactly_match: blue kettle' });
    assert.equal(await scoreStep(byKey, step(1, { url: '/shop/results.html?q=blue%20kettle' })), 1);
    assert.equal(await scoreStep(byKey, step(1, { url: '/shop/results.html?q=blue' })), 0);
    assert.equal(await scoreStep(byKey, step(1, { url: '/shop/index.html' })), 0);
    assert.equal(await scoreStep(byKey, step(1)), 0, 'a step without a page has no URL');
    // An empty key (Mind2Web-Live writes "") means the whole URL.
    const included = keyNodeFromWebCanvas({ match_function_name: 'url_included_match', content: { reference_answer: 'product.html?id=5', key: '' } });
    assert.equal(included.type === 'url' && included.key, undefined);
    assert.equal(await scoreStep(included, step(1, { url: '/shop/product.html?id=5' })), 1);
    assert.equal(await scoreStep(included, step(1, { url: '/shop/product.html?id=50' })), 1, 'include is a substring match, as in WebCanvas');
    assert.equal(await scoreStep(included, step(1, { url: '/shop/product.html?id=6' })), 0);
  });
  test('element entries read the element a step acted on: its path, or its value at a given path', async () => {
    const value = keyNodeFromWebCanvas({ match_function_name: 'element_value_exactly_match', content: { reference_answer: 'Dana', path: '#buyer' } });
    assert.equal(await scoreStep(value, step(1, { element: { path: '#buyer', value: 'Dana' } })), 1);
    assert.equal(await scoreStep(value, step(1, { element: { path: '#q', value: 'Dana' } })), 0, 'the right value in the wrong field');
    assert.equal(await scoreStep(value, step(1, { element: { path: '#buyer', value: 'dana' } })), 0, 'element matches are case-sensitive');
    const anywhere = keyNodeFromWebCanvas({ match_function_name: 'element_value_included_match', content: { reference_answer: 'kettle' } });
    assert.equal(await scoreStep(anywhere, step(1, { element: { path: '#q', value: 'blue kettle' } })), 1);
    const path = keyNodeFromWebCanvas({ match_function_name: 'element_path_exactly_match', content: { reference_answer: '#place' } });
    assert.equal(await scoreStep(path, step(1, { element: { path: '#place', value: 'Place order' } })), 1);
    assert.equal(await scoreStep(path, step(1, { element: null })), 0);
    const semantic = keyNodeFromWebCanvas({ match_function_name: 'element_value_semantic_match', content: { reference_answer: 'a kettle' } });
    assert.equal(await scoreStep(semantic, step(1, { element: { path: '#q', value: 'blue kettle' } }), async (input, reference) => (input.includes('kettle') && reference === 'a kettle' ? 0.8 : 0)), 0.8);
    assert.throws(() => keyNodeFromWebCanvas({ match_function_name: 'element_path_included_match', content: { reference_answer: 'x' } }), /unknown WebCanvas match function/);
    assert.throws(() => keyNodeFromWebCanvas({ match_function_name: 'made_up_match', content: { reference_answer: 'x' } }), (error: unknown) => {
      assert.ok(error instanceof StepwiseError);
      assert.match(error.hint ?? '', /url_\*/);
      return true;
    });
  });
  test('a WebCanvas exact match is case-insensitive on a path, as its text_exact_match lower-cases both', async () => {
    const [node] = resolveKeyNodes([{ match_function_name: 'final_answer_exact_match', content: { reference_answer: '4 * 6 = 24 (LEFT: 24)' } }]);
    const hits = await keyNodeHits([node], [step(1, { action: '4 * 6 = 24 (left: 24)', last: true })]);
    assert.equal(hits[0].met, true);
  });
});
