import { UsageError } from '../core/errors.ts';
import { parseDuration } from '../core/duration.ts';
import { parseQueueAddress, startQueueWorker } from '../queue/index.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { withLiveOtelExport } from '../otel/index.ts';
import { defaultStore, intOption, isPersistent, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';

export const workerCommand: Command = {
  name: 'worker',
  help: `Usage: stepwise worker --queue <url> [--db <store>] [options]

Takes task jobs off a BullMQ queue on Redis and searches each into the store the run was started
with: every worker of a run must use the same --db (a SQLite file on a shared disk, or postgres://…).
Each job carries the run's recipe and its task, so any worker rebuilds the search. Model replies are
shared through the store: no request is sent twice across workers. A worker killed mid-job has its
job retried by another (it continues from what was recorded, so the tree equals an uninterrupted one).

Options:
  --queue <url>           redis://host:port[/db][#name] (the queue name defaults to stepwise)
  --db <path>             the run's store (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})
  --concurrency <n>       jobs searched at once (default 1)
  --name <name>           shown in the run's progress (default <host>:<pid>)
  --stall-timeout <dur>   a job whose worker stops answering this long goes to another worker
                          (default 30s)
  --otel-endpoint <url>   send each searched task's tree to an OpenTelemetry collector (OTLP/HTTP)

Ctrl-C (or SIGTERM) stops taking jobs and finishes the running ones; a second Ctrl-C stops at
once, and those jobs are retried by other workers.

Examples:
  stepwise worker --queue redis://127.0.0.1:6379 --db runs.db --concurrency 4
  stepwise run game24 --tasks tot:../shared/data/tot/24.csv:900-999 --strategy dfs --queue redis://127.0.0.1:6379 --db runs.db`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('worker', argv, {
      queue: { type: 'string' },
      db: { type: 'string', default: defaultStore() },
      concurrency: { type: 'string' },
      name: { type: 'string' },
      'stall-timeout': { type: 'string' },
      'otel-endpoint': { type: 'string' },
    });
    if (values.help) {
      console.log(workerCommand.help);
      return 0;
    }
    rejectExtraPositionals('worker', positionals, 0);
    if (!values.queue) throw new UsageError('--queue is required: which queue to take jobs from', { hint: 'e.g. stepwise worker --queue redis://127.0.0.1:6379 --db runs.db' });
    const queue = parseQueueAddress(values.queue);
    if (!isPersistent(values.db!)) throw new UsageError(`a worker records into the run's store, not --db ${values.db}`, { hint: 'pass the --db the run was started with' });
    const stallText = values['stall-timeout'];
    const stallMs = stallText === undefined ? undefined : parseDuration(stallText);
    if (stallMs === null || (stallMs !== undefined && stallMs < 1000)) throw new UsageError(`--stall-timeout must be a duration of at least 1s, like 30s, got "${stallText}"`);
    const opened = openStore(values.db!);
    const store = values['otel-endpoint'] ? withLiveOtelExport(opened, values['otel-endpoint']) : opened;
    const worker = startQueueWorker({
      queue,
      store,
      concurrency: intOption('concurrency', values.concurrency, { min: 1 }),
      name: values.name,
      stallMs,
      report: (message) => console.error(message),
    });
    console.error(`stepwise worker ${worker.name}: taking jobs from ${queue.redisUrl} (queue ${queue.name}), recording into ${store.location}; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          // Records appended so far are written; the jobs left running go back to the queue when their lock lapses.
          console.error(`stepwise worker: stopping now (${signal}); ${worker.running} running job(s) will be retried by other workers`);
          void store.close().finally(() => process.exit(130));
          return;
        }
        stopping = true;
        console.error(`stepwise worker: finishing ${worker.running} running job(s), taking no more; ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to stop at once`);
        void worker.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await store.close();
    console.error('stepwise worker: stopped');
    return 0;
  },
};
