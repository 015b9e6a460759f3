import { Redis } from 'ioredis';
import type { QueueAddress } from './address.ts';

/**
 * A Redis connection for BullMQ (`commandTimeoutMs` only for connections that never block, such as a queue's): commands wait through a reconnect instead of failing (BullMQ requires
 * `maxRetriesPerRequest: null`), and reconnect attempts back off to one a second, forever.
 */
export function connectRedis(address: QueueAddress, options: { commandTimeoutMs?: number } = {}): Redis {
  const redis = new Redis(address.redisUrl, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    ...(options.commandTimeoutMs ? { commandTimeout: options.commandTimeoutMs } : {}),
  });
  // Outages are told once by watchConnection; without a listener ioredis prints every failed reconnect.
  redis.on('error', () => {});
  return redis;
}

/** Reports a lost connection once per outage, and its return (workers and runs say so on stderr). */
export function watchConnection(redis: Redis, report: (message: string) => void, label: string): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    report(`${label}: lost the Redis connection (${error.message}); reconnecting`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    report(`${label}: Redis connection back`);
  });
}
