import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStore } from '../../src/store/memory.ts';
import { storeBehaviourSuite } from '../../src/testing/index.ts';

storeBehaviourSuite('memory', createMemoryStore);

test('the memory store names itself :memory:', () => {
  assert.equal(createMemoryStore().location, ':memory:');
});
