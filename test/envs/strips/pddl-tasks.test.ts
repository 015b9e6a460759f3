import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TaskError } from '../../../src/core/errors.ts';
import { loadPddlTasks, naturalCompare, stripsEnvironment } from '../../../src/envs/strips/index.ts';
import type { StripsProblem } from '../../../src/envs/strips/index.ts';
import { NEEDS_SHARED_DATA } from '../../shared-data.ts';

const DIR = '../shared/data/planbench/blocksworld';

test('a directory of problems loads in natural order, with ids from the file names', { skip: NEEDS_SHARED_DATA }, () => {
  const tasks = loadPddlTasks(`${DIR}/domain.pddl`, [`${DIR}/instances`]);
  const ids = tasks.map((t) => t.id);
  assert.deepEqual(ids.slice(0, 11), ['instance-1', 'instance-2', 'instance-3', 'instance-4', 'instance-5', 'instance-6', 'instance-7', 'instance-8', 'instance-9', 'instance-10', 'instance-11']);
  const task = tasks[9];
  assert.equal(task.env, 'strips');
  assert.equal(task.source, `${DIR}/instances/instance-10.pddl`);
  assert.equal(task.spec.problemPath, task.source);
  assert.equal(task.meta?.domainName, 'blocksworld-4ops');
  // One domain text is parsed once and shared by every problem on it.
  const [a, b] = [stripsEnvironment.load(tasks[0]), stripsEnvironment.load(tasks[1])] as StripsProblem[];
  assert.equal(a.domain, b.domain);
});

test('naturalCompare orders digit runs by value', () => {
  assert.deepEqual(['p10', 'p2', 'p1', 'q', 'p1a'].sort(naturalCompare), ['p1', 'p1a', 'p2', 'p10', 'q']);
});

test('missing files and broken problems fail at load time with the path in the message', { skip: NEEDS_SHARED_DATA }, () => {
  assert.throws(() => loadPddlTasks(`${DIR}/no-such-domain.pddl`, [`${DIR}/instances`]), (e: unknown) => e instanceof TaskError && /PDDL domain file .*no-such-domain\.pddl: no such file/.test(e.message));
  assert.throws(() => loadPddlTasks(`${DIR}/domain.pddl`, [`${DIR}/instances/instance-99.pddl`]), /instance-99\.pddl: no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'strips-tasks-'));
  try {
    writeFileSync(join(dir, 'broken.pddl'), '(define (problem broken) (:domain blocksworld-4ops)\n(:objects a)\n(:init (ontable b))\n(:goal (clear a)))');
    assert.throws(() => loadPddlTasks(`${DIR}/domain.pddl`, [dir]), /broken\.pddl line 3: unknown object 'b'/);
    assert.throws(() => loadPddlTasks(`${DIR}/domain.pddl`, [join(dir, 'empty')]), /no such file or directory/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a directory that also holds the domain file loads only the problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strips-tasks-'));
  try {
    writeFileSync(join(dir, 'domain.pddl'), '(define (domain d) (:predicates (p)) (:action a :parameters () :precondition () :effect (p)))');
    writeFileSync(join(dir, 'task-1.pddl'), '(define (problem t1) (:domain d) (:init) (:goal (p)))');
    const tasks = loadPddlTasks(join(dir, 'domain.pddl'), [dir]);
    assert.deepEqual(tasks.map((t) => t.id), ['task-1']);
    const problem = stripsEnvironment.load(tasks[0]) as StripsProblem;
    assert.equal(problem.step(problem.initialState, { name: 'a', args: [] }).success, true);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('load rejects a task whose spec lacks the PDDL texts', () => {
  assert.throws(() => stripsEnvironment.load({ id: 'x', env: 'strips', source: 'inline', spec: { domain: '(define (domain d))' } as never }), /Task 'x': the spec must hold the PDDL texts/);
});
