import type { Redis } from 'ioredis';
import type { ModelCallRecord, StoreRecord } from '../store/records.ts';

/** The part of a store the model client uses: it records calls and looks up earlier replies. */
import type { ModelCallStore } from './search-task-job.ts';

export interface ModelCallClaimOptions {
  /** A claim lapses this long after its holder stops renewing it (the holder was killed). Default 15 s. */
  claimMs?: number;
  /** How often a worker waiting on another's request looks for its reply. Default 25 ms. */
  pollMs?: number;
}

/**
 * The model-call store of a queue worker: before sending a request no store holds a reply to, the worker claims
 * its hash in Redis; a worker finding it claimed waits for the holder's reply to reach the shared store (or for the
 * claim to lapse, when the holder died or the call failed) instead of sending it too. So across all workers each
 * distinct request is sent once, as within one process.
 */
export function claimingModelCallStore(store: ModelCallStore, redis: Redis, keyPrefix: string, options: ModelCallClaimOptions = {}): ModelCallStore & { release(): void } {
  const claimMs = options.claimMs ?? 15_000;
  const pollMs = options.pollMs ?? 25;
  const owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const keyOf = (hash: string) => `${keyPrefix}:model-call:${hash}`;
  // Claims this process holds, renewed until the call is recorded.
  const held = new Map<string, ReturnType<typeof setInterval>>();

  const settle = (record: ModelCallRecord) => {
    const renew = held.get(record.requestHash);
    if (renew === undefined) return;
    clearInterval(renew);
    held.delete(record.requestHash);
    // A reply stays claimed until the store has surely written it; a failure frees the request for others at once.
    const key = keyOf(record.requestHash);
    void (record.error === null ? redis.pexpire(key, Math.min(claimMs, 5000)) : redis.del(key)).catch(() => {});
  };

  return {
    append(record: StoreRecord) {
      store.append(record);
      if (record.type === 'model_call' && !record.cacheHit) settle(record);
    },
    async findModelCall(hash) {
      for (;;) {
        const stored = await store.findModelCall(hash);
        if (stored) return stored;
        const key = keyOf(hash);
        // Another job of this process holding the claim is waited on like another worker.
        if (!held.has(hash) && (await redis.set(key, owner, 'PX', claimMs, 'NX')) === 'OK') {
          const renew = setInterval(() => void redis.pexpire(key, claimMs).catch(() => {}), claimMs / 3);
          renew.unref();
          held.set(hash, renew);
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    release() {
      for (const [hash, renew] of held) {
        clearInterval(renew);
        void redis.del(keyOf(hash)).catch(() => {});
      }
      held.clear();
    },
  };
}
