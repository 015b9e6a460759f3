import { UsageError } from '../core/errors.ts';

/** Where a queue lives: a Redis server and the queue's name on it. */
export interface QueueAddress {
  /** `redis://[user:password@]host:port[/db]`, without the queue name. */
  redisUrl: string;
  /** The BullMQ queue name (default `stepwise`); runs and workers meet on the same name. */
  name: string;
}

export const DEFAULT_QUEUE_NAME = 'stepwise';
/** Key prefix of every key stepwise writes in Redis, so its queues never mix with another program's. */
export const QUEUE_KEY_PREFIX = 'stepwise';

/** Reads `redis://host:port[/db][#name]` (`rediss://` for TLS); the fragment names the queue. */
export function parseQueueAddress(text: string): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw queueUrlError(text, 'it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw queueUrlError(text, `its scheme is ${url.protocol.replace(/:$/, '')}, not redis`);
  if (!url.hostname) throw queueUrlError(text, 'it names no host');
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname)) throw queueUrlError(text, `"${url.pathname.slice(1)}" is not a Redis database number`);
  const name = decodeURIComponent(url.hash.slice(1)) || DEFAULT_QUEUE_NAME;
  if (!/^[\w.-]+$/.test(name)) throw queueUrlError(text, `the queue name "${name}" may hold only letters, digits, _, . and -`);
  url.hash = '';
  return { redisUrl: url.toString(), name };
}

function queueUrlError(text: string, why: string): UsageError {
  return new UsageError(`--queue "${text}" is not a queue address: ${why}`, { hint: 'e.g. --queue redis://127.0.0.1:6379 or --queue redis://10.0.0.5:6379/0#team-runs' });
}
