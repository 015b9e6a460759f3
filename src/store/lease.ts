import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunOwnedError, StoreError } from '../core/errors.ts';
import type { StoreBackend } from './store.ts';
import { processAlive } from '../core/process-alive.ts';

/** Who is writing a run: one process, until `expiresAt` unless it renews. Not a record: it is never replayed or copied. */
export interface RunLease {
  runId: string;
  /** Unique per holder (host, pid and a random part), so a restarted process with a reused pid is someone else. */
  owner: string;
  host: string;
  pid: number;
  /** When this owner first took it (ISO); renewals keep it. */
  since: string;
  /** Milliseconds since the epoch, on the taker's clock. */
  expiresAt: number;
}

/** What `takeRunLease` is asked: this owner wants the run for `ttlMs` from now. */
export interface RunLeaseClaim {
  runId: string;
  owner: string;
  host: string;
  pid: number;
  ttlMs: number;
  /** Take it over from this owner even before it expires (a holder on this host whose process is gone). */
  replaces?: string;
}

/**
 * The rule every backend applies in one atomic step: the claim wins when the run has no lease, when it is already the
 * claimant's (a renewal, `since` kept), when it expired, or when it belongs to `claim.replaces`.
 */
export function claimWins(current: RunLease | undefined, claim: RunLeaseClaim, now: number): boolean {
  return current === undefined || current.owner === claim.owner || current.expiresAt < now || current.owner === claim.replaces;
}

/** The lease a winning claim leaves in the store. */
export function leaseOfClaim(current: RunLease | undefined, claim: RunLeaseClaim, now: number): RunLease {
  const since = current?.owner === claim.owner ? current.since : new Date(now).toISOString();
  return { runId: claim.runId, owner: claim.owner, host: claim.host, pid: claim.pid, since, expiresAt: now + claim.ttlMs };
}

/** How long a lease lasts without renewal: a killed owner on another host blocks its run this long. */
export const RUN_LEASE_TTL_MS = 30_000;

/** A run this process owns: renewed in the background until released. */
export interface HeldRunLease {
  readonly runId: string;
  readonly owner: string;
  /** Aborted (with a RunOwnedError) when a renewal found another owner: this process must stop writing the run. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface HoldRunLeaseOptions {
  /** Wait for the holder to finish (or die) instead of refusing at once. */
  wait?: boolean;
  /** Told once when the run is owned by someone else and this call waits. */
  onWaiting?: (holder: RunLease) => void;
  ttlMs?: number;
  /** How often a waiting call asks again. Default 1 s. */
  pollMs?: number;
}

/**
 * Takes the lease on a run (throws RunOwnedError naming the holder when another live process has it, unless `wait`),
 * and renews it every third of its lifetime until released. A holder on this host whose process is gone is replaced at once.
 */
export async function holdRunLease(store: Pick<StoreBackend, 'takeRunLease' | 'releaseRunLease'>, runId: string, options: HoldRunLeaseOptions = {}): Promise<HeldRunLease> {
  const ttlMs = options.ttlMs ?? leaseTtlFromEnvironment();
  const claim: RunLeaseClaim = { runId, owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, host: hostname(), pid: process.pid, ttlMs };
  let told = false;
  for (;;) {
    const holder = await store.takeRunLease(claim);
    if (holder.owner === claim.owner) break;
    if (holder.host === claim.host && !processAlive(holder.pid)) {
      claim.replaces = holder.owner;
      continue;
    }
    if (!options.wait) throw new RunOwnedError(holder);
    if (!told) options.onWaiting?.(holder);
    told = true;
    await sleep(Math.min(options.pollMs ?? 1000, Math.max(10, holder.expiresAt - Date.now() + 1)));
  }
  delete claim.replaces;
  const lost = new AbortController();
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = store.takeRunLease(claim).then(
      (holder) => {
        if (holder.owner !== claim.owner && !lost.signal.aborted) {
          clearInterval(timer);
          lost.abort(new RunOwnedError(holder, { lost: true }));
        }
      },
      () => undefined, // A busy or unreachable store: the next renewal tries again, well before the lease expires.
    );
  }, Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  let released = false;
  return {
    runId,
    owner: claim.owner,
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      if (!lost.signal.aborted) await store.releaseRunLease(runId, claim.owner);
    },
  };
}

// Tests shorten it to see a lost lease within seconds; nothing else should need to.
function leaseTtlFromEnvironment(): number {
  const text = process.env.STEPWISE_LEASE_TTL_MS;
  if (text === undefined || text === '') return RUN_LEASE_TTL_MS;
  const ttl = Number(text);
  if (!Number.isInteger(ttl) || ttl < 10) {
    throw new StoreError(`STEPWISE_LEASE_TTL_MS must be a whole number of milliseconds of at least 10, got "${text}".`, { hint: 'unset it to use the default of 30000' });
  }
  return ttl;
}


/** The refusal of a read-only store asked to take or give up a lease. */
export function readOnlyLeaseError(location: string): StoreError {
  return new StoreError(`The store at ${location} was opened read-only: no run can be written into it.`, {
    hint: 'open it for writing (without read-only) to run or resume',
  });
}
