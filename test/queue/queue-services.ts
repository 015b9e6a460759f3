import { Redis } from 'ioredis';
import type { TestContext } from 'node:test';
import { QUEUE_KEY_PREFIX, type QueueAddress } from '../../src/queue/address.ts';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** True when Redis answers at `url`; CI (STEPWISE_REQUIRE_SERVICES) fails instead of skipping. */
export async function redisReachable(url = SHARED_REDIS): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Skips the test with one line when Redis is not running here (never in CI, which requires it). */
export async function needsRedis(t: TestContext): Promise<boolean> {
  if (await redisReachable()) return true;
  if (process.env.STEPWISE_REQUIRE_SERVICES) throw new Error(`Redis is required (STEPWISE_REQUIRE_SERVICES) but does not answer at ${SHARED_REDIS}`);
  t.skip(`Redis does not answer at ${SHARED_REDIS}; start it (redis-server) to run the queue tests`);
  return false;
}

let count = 0;
/** A queue of this test's own, so tests never see each other's jobs. */
export function testQueue(label: string, redisUrl = SHARED_REDIS): QueueAddress {
  return { redisUrl, name: `test-${label}-${process.pid}-${++count}-${Date.now().toString(36)}` };
}

/** Deletes every key the queue and its workers wrote. */
export async function removeQueueKeys(address: QueueAddress): Promise<void> {
  const redis = new Redis(address.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    const keys = await redis.keys(`${QUEUE_KEY_PREFIX}:${address.name}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
