import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunOwnedError } from '../../core/errors.ts';
import { holdRunLease, type RunLeaseClaim } from '../../store/lease.ts';
import { withStore } from './with-store.ts';
import type { OpenStore } from './with-store.ts';

function claim(owner: string, runId = 'leased', ttlMs = 60_000, extra: Partial<RunLeaseClaim> = {}): RunLeaseClaim {
  return { runId, owner, host: `host-of-${owner}`, pid: 1000 + owner.length, ttlMs, ...extra };
}

/** One writer per run: a lease taken atomically, renewed by its owner, refused to others until released or expired. */
export function describeLeaseBehaviour(open: OpenStore): void {
  test('a run lease goes to the first claimant; another gets the holder back; renewing keeps since and extends the expiry', () => withStore(open, async (store) => {
    const first = await store.takeRunLease(claim('alice'));
    assert.equal(first.owner, 'alice');
    assert.equal(first.host, 'host-of-alice');
    assert.equal(first.pid, 1005);
    assert.ok(first.expiresAt > Date.now() + 50_000);
    const refused = await store.takeRunLease(claim('bob'));
    assert.deepEqual(refused, first, 'a second claimant is told who holds it');
    await sleep(5);
    const renewed = await store.takeRunLease(claim('alice'));
    assert.equal(renewed.since, first.since);
    assert.ok(renewed.expiresAt > first.expiresAt);
    assert.equal((await store.takeRunLease(claim('carol', 'another-run'))).owner, 'carol', 'leases are per run');
  }));

  test('a released lease is free; only its owner can release it', () => withStore(open, async (store) => {
    await store.takeRunLease(claim('alice'));
    await store.releaseRunLease('leased', 'bob');
    assert.equal((await store.takeRunLease(claim('bob'))).owner, 'alice', 'a stranger cannot release it');
    await store.releaseRunLease('leased', 'alice');
    const taken = await store.takeRunLease(claim('bob'));
    assert.equal(taken.owner, 'bob');
    assert.equal(taken.host, 'host-of-bob');
  }));

  test('an expired lease is taken over, and so is one whose owner the claimant replaces', () => withStore(open, async (store) => {
    await store.takeRunLease(claim('alice', 'leased', 1));
    await sleep(20);
    assert.equal((await store.takeRunLease(claim('bob'))).owner, 'bob', 'expired');
    assert.equal((await store.takeRunLease(claim('carol'))).owner, 'bob');
    assert.equal((await store.takeRunLease(claim('carol', 'leased', 60_000, { replaces: 'alice' }))).owner, 'bob', 'replaces names someone else');
    assert.equal((await store.takeRunLease(claim('carol', 'leased', 60_000, { replaces: 'bob' }))).owner, 'carol');
  }));

  test('holdRunLease refuses a held run naming its holder, waits for it when asked, and renews what it holds', () => withStore(open, async (store) => {
    const held = await holdRunLease(store, 'leased', { ttlMs: 300 });
    await assert.rejects(holdRunLease(store, 'leased'), (error: unknown) => {
      assert.ok(error instanceof RunOwnedError);
      assert.match(error.message, new RegExp(`run leased is being written by another process \\(pid ${process.pid} on `));
      assert.match(error.hint ?? '', /--wait/);
      return true;
    });
    await sleep(700);
    assert.notEqual((await store.takeRunLease(claim('bob'))).owner, 'bob', 'renewed past its 300 ms lifetime');
    let waitedFor = '';
    const waiting = holdRunLease(store, 'leased', { wait: true, pollMs: 20, onWaiting: (holder) => (waitedFor = holder.owner) });
    await sleep(50);
    assert.equal(waitedFor, held.owner);
    await held.release();
    const next = await waiting;
    assert.equal((await store.takeRunLease(claim('bob'))).owner, next.owner);
    await next.release();
    assert.equal((await store.takeRunLease(claim('bob'))).owner, 'bob');
  }));

  test('a held lease that another process took over is reported as lost', () => withStore(open, async (store) => {
    const held = await holdRunLease(store, 'leased', { ttlMs: 150 });
    await store.takeRunLease(claim('bob', 'leased', 60_000, { replaces: held.owner }));
    const started = Date.now();
    while (!held.lost.aborted && Date.now() - started < 5000) await sleep(10);
    assert.ok(held.lost.reason instanceof RunOwnedError);
    assert.match(held.lost.reason.message, /taken over/);
    await held.release();
    assert.equal((await store.takeRunLease(claim('carol'))).owner, 'bob', 'losing it never releases the new owner\'s lease');
  }));
}
