import { UsageError } from '../core/errors.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { startViewServer } from '../view/server.ts';
import { intOption, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';

const DEFAULT_PORT = '4173';

export const viewCommand: Command = {
  name: 'view',
  help: `Usage: stepwise view [--db <path>] [--port <n>]

Serves the web viewer on http://127.0.0.1:<port>/ (this machine only) over the store,
read-only. Runs still in progress update live. Stop it with Ctrl-C.

Options:
  --db <path>   the store to read (default ${DEFAULT_STORE_PATH})
  --port <n>    the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)

Example:
  stepwise demo && stepwise view`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('view', argv, {
      db: { type: 'string', default: DEFAULT_STORE_PATH },
      port: { type: 'string', default: DEFAULT_PORT },
    });
    if (values.help) {
      console.log(viewCommand.help);
      return 0;
    }
    rejectExtraPositionals('view', positionals, 0);
    const port = intOption('port', values.port)!;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const store = openStore(values.db!, { readonly: true });
    let server;
    try {
      server = await startViewServer({ store, port });
    } catch (error) {
      await store.close();
      if ((error as { code?: unknown }).code === 'EADDRINUSE') {
        throw new UsageError(`Port ${port} on 127.0.0.1 is already in use.`, { hint: 'Pass another one with --port <n>, or --port 0 for any free port.' });
      }
      throw error;
    }
    console.log(`stepwise view: serving ${values.db} (read-only) at ${server.url}`);
    console.error('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await store.close();
    return 0;
  },
};
