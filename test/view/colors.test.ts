import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeItem } from '../../viewer/src/api.ts';
import { itemColor, valueColor } from '../../viewer/src/tree/colors.ts';

const item = (fields: Partial<TreeItem>): TreeItem =>
  ({ kind: 'node', id: 'n', parentId: 'p', depth: 1, actionText: 'x', value: 0, reward: 0, valid: true, terminal: false, success: false, duplicateOf: null, visits: null, searchValue: null, selected: false, pruned: null, childCount: 0, subtreeSize: 1, onSolutionPath: false, mc: null, ...fields }) as TreeItem;

// Issue 17: terminal nodes with value 0 were drawn green on the red→green scale.
test('a failed terminal step is red whatever its score, and a tree of equal values is not all green', () => {
  const red = valueColor(0);
  assert.equal(itemColor(item({ terminal: true, value: 0 }), 'value', { min: 0, max: 0 }), red);
  assert.equal(itemColor(item({ terminal: true, value: 1 }), 'value', { min: 0, max: 1 }), red);
  assert.equal(itemColor(item({ value: 0 }), 'value', { min: 0, max: 0 }), red);
  assert.equal(itemColor(item({ value: 1 }), 'value', { min: 1, max: 1 }), valueColor(1));
  assert.notEqual(itemColor(item({ terminal: true, success: true, value: 0 }), 'value', { min: 0, max: 0 }), red);
});
