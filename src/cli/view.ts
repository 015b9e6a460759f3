import { warnOfUnreadJournal } from './stored-runs.ts';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { EVAL_API_ROUTES, EVAL_PAGES } from '../eval/view-routes.ts';
import { startViewServer } from '../view/server.ts';
import { approvalRoutes } from '../guards/approval-routes.ts';
import { defaultStore, intOption, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';

const DEFAULT_PORT = '4173';

export const viewCommand: Command = {
  name: 'view',
  help: `Usage: stepwise view [--db <path>] [--port <n>] [--approvals [--by <name>]]

Serves the web viewer on http://127.0.0.1:<port>/ (this machine only) over the store,
read-only. Runs still in progress update live. Stop it with Ctrl-C.

Options:
  --db <path>   the store to read, a file or postgres:// URL (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})
  --port <n>    the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --approvals   also serve the approval page (#/approvals): every action a guard held for a person, in
                every run of the store, with the path that led to it; approve, reject with a reason, or
                edit it. Decisions are recorded as \`stepwise approve\` records them (the only write the
                viewer then makes); \`stepwise resume <run>\` continues the run from there.
  --by <name>   who decides on the approval page, unless the page names someone (default $USER)

Examples:
  stepwise demo && stepwise view
  stepwise view --approvals --db runs.db      # then open http://127.0.0.1:${DEFAULT_PORT}/#/approvals`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('view', argv, {
      db: { type: 'string', default: defaultStore() },
      port: { type: 'string', default: DEFAULT_PORT },
      approvals: { type: 'boolean', default: false },
      by: { type: 'string' },
    });
    if (values.help) {
      console.log(viewCommand.help);
      return 0;
    }
    rejectExtraPositionals('view', positionals, 0);
    const port = intOption('port', values.port)!;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    if (values.by !== undefined && !values.approvals) throw new UsageError('--by names who decides on the approval page; it needs --approvals');
    // Read-only unless the approval page is asked for: its decisions are the one write.
    const store = openStore(values.db!, { readonly: !values.approvals });
    warnOfUnreadJournal(values.db!);
    const approvals = values.approvals ? approvalRoutes({ by: values.by ?? process.env.USER ?? 'web' }) : null;
    let server;
    try {
      server = await startViewServer({ store, port, routes: [...(approvals?.routes ?? []), ...EVAL_API_ROUTES], writes: approvals?.writes, pages: EVAL_PAGES });
    } catch (error) {
      await store.close();
      if ((error as { code?: unknown }).code === 'EADDRINUSE') {
        throw new UsageError(`Port ${port} on 127.0.0.1 is already in use.`, { hint: 'Pass another one with --port <n>, or --port 0 for any free port.' });
      }
      throw error;
    }
    console.log(
      approvals
        ? `stepwise view: serving ${values.db} at ${server.url}, approvals at ${server.url}#/approvals (decisions are written to the store)`
        : `stepwise view: serving ${values.db} (read-only) at ${server.url}`,
    );
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
