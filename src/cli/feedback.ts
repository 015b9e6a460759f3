import { writeFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.ts';
import { ENVIRONMENTS, getEnvironment } from '../envs/registry.ts';
import { feedbackComponents } from '../feedback/components.ts';
import { collectFeedback, feedbackRuns } from '../feedback/records.ts';
import { runFeedbackSession } from '../feedback/session.ts';
import { feedbackStats, type FeedbackGroupStats } from '../feedback/stats.ts';
import { terminalPerson } from '../feedback/terminal-person.ts';
import type { Person } from '../feedback/types.ts';
import { startWebFeedbackSession } from '../feedback/web-session.ts';
import { SAMPLE_USERS } from '../people/goals.ts';
import { simulatedUser } from '../people/simulated-user.ts';
import { resolveModelSpec } from '../models/spec.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { dbFlag, intOption, isPersistent, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { withStore } from './stored-runs.ts';
import { fixed, table } from './format.ts';

const DEFAULT_WEB_PORT = 4174;

const HELP = `Usage: stepwise feedback <env> --tasks <spec> [--user <id>] [--study <name>] [options]
       stepwise feedback stats  [--study <name>] [--user <id>] [--json]
       stepwise feedback export [--study <name>] [--user <id>] [-o <file>]

A session with a person in the loop: at each turn the proposer offers k actions, you pick any
number (or write your own), the picks are executed one after another, and you judge each one
(applied / partly / not applied, with an optional comment). Everything is recorded in the store
against the run's tree as feedback.* annotations; a run is one session of one user.

Session options:
  --tasks <spec>      which tasks, as for \`stepwise run\` (report: <corpus.jsonl>#<query>[|<query>…])
  --user <id>         who is answering (default $USER)
  --study <name>      groups sessions of many users, queries and days (default "default")
  --profile <text>    the user's own description of what they want (used by profile predictors)
  --k <n>             actions shown per turn (default 5)
  --turns <n>         turns per task at most (default 3)
  --model <spec>      a model proposes (and, for reports, executes the edits); offline without one
  --simulate <user>   a rule-based simulated user answers instead of you: ${SAMPLE_USERS.map((u) => u.id).join(', ')}
                      (hidden goals in src/people/goals.ts; --user defaults to that id)
  --web               answer in the browser instead of the terminal: the viewer's feedback page on
                      127.0.0.1 (the viewer in write mode: it takes answers to the open prompt, nothing else)
  --port <n>          the page's port with --web (default ${DEFAULT_WEB_PORT}; 0 picks a free one)
  --seed <n>          seed for the proposer's sampling (default 0)
  --db <path>         store file (default ${DEFAULT_STORE_PATH})

At each turn type the numbers of the actions you want ("1 3"), your own after "+"
("2 + Add a section on costs"), an empty line for none, or q to stop. To judge, type a, p or n,
optionally followed by a comment ("p the table misses costs").

stats prints pick rate and execution success by action type and by user; export writes the
preference and judgment records of a whole study as JSON lines (schema in docs/feedback.md);
\`stepwise export <run…> --format feedback\` writes the same records for chosen runs.

Examples:
  stepwise feedback report --tasks "../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?" --user ana --study pilot
  printf '1 2\\na\\np too short\\nq\\n' | stepwise feedback report --tasks "papers.jsonl#web agents" --user bot --turns 1
  stepwise feedback report --tasks "papers.jsonl#web agents" --user ana --web
  stepwise feedback report --tasks "papers.jsonl#web agents" --simulate data-diana --study sim
  stepwise feedback stats --study pilot
  stepwise feedback export --study pilot -o feedback.jsonl

papers.jsonl is any corpus of papers, one {id, title, abstract} object a line (or a CSV with those
columns); ../shared/data/papers/intermediate-actions.jsonl, beside a clone, is the 52-paper sample the tests use.`;

function statsRows(groups: FeedbackGroupStats[]): (string | number)[][] {
  const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(0)}%`);
  return groups.map((g) => [g.group, g.shown, g.picked, pct(g.pickRate), g.custom, g.judged, g.applied, g.partly, g.notApplied, pct(g.successRate), fixed(g.successScore)]);
}
const STATS_HEADERS = ['shown', 'picked', 'pick rate', 'own', 'judged', 'applied', 'partly', 'not', 'success', 'score'];

export const feedbackCommand: Command = {
  name: 'feedback',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('feedback', argv, {
      tasks: { type: 'string' },
      user: { type: 'string' },
      study: { type: 'string' },
      profile: { type: 'string' },
      k: { type: 'string' },
      turns: { type: 'string' },
      model: { type: 'string' },
      web: { type: 'boolean', default: false },
      simulate: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string', default: '0' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [what] = positionals;
    if (!what) throw new UsageError('which environment (or stats, export)?', { hint: `e.g. stepwise feedback report --tasks …; environments: ${Object.keys(ENVIRONMENTS).join(', ')}` });
    rejectExtraPositionals('feedback', positionals, 1, 'quote values that hold spaces, e.g. --tasks "papers.jsonl#web agents"');
    if (what === 'stats' || what === 'export') return summarize(what, values);
    const entry = getEnvironment(what);
    if (!values.tasks) throw new UsageError(`--tasks is required: which ${what} tasks`, { hint: `e.g. --tasks ${entry.taskSpecs[0]}` });
    const tasks = entry.loadTasks(values.tasks, {});
    const simulated = values.simulate === undefined ? null : SAMPLE_USERS.find((u) => u.id === values.simulate);
    if (simulated === undefined) throw new UsageError(`no simulated user "${values.simulate}"`, { hint: `choose one of: ${SAMPLE_USERS.map((u) => u.id).join(', ')}` });
    if (simulated && values.web) throw new UsageError('--simulate and --web do not go together: a simulated user needs no page');
    const userId = values.user ?? simulated?.id ?? process.env.USER ?? 'anonymous';
    const store = openStore(values.db!);
    const person = values.web ? null : simulated ? { ...simulatedUser({ ...simulated, id: userId }, { seed: intOption('seed', values.seed) }), close() {} } : terminalPerson({ id: userId, profile: values.profile });
    try {
      const { env, proposer } = feedbackComponents(what, resolveModelSpec(values.model), store);
      const settings = {
        env,
        tasks,
        proposer,
        k: intOption('k', values.k, { min: 1 }),
        maxTurns: intOption('turns', values.turns, { min: 1 }),
        study: values.study,
        store,
        seed: intOption('seed', values.seed),
        taskSpec: values.tasks,
      };
      const result = person ? await terminalSession(settings, person) : await webSession(settings, userId, values.profile, intOption('port', values.port) ?? DEFAULT_WEB_PORT);
      if (!result) {
        console.error('stepwise feedback: interrupted; the turns judged so far are recorded');
        return 130;
      }
      const records = await collectFeedback(store, [(await store.getRun(result.runId)).run]);
      const stats = feedbackStats(records).overall;
      console.log(`\nsession ${result.runId} (user ${userId}): ${stats.shown} actions shown, ${stats.picked} picked, ${stats.custom} of your own, ${stats.judged} judged (${stats.applied} applied, ${stats.partly} partly, ${stats.notApplied} not applied)`);
      console.log(isPersistent(values.db!) ? `Recorded in ${values.db}. Next: stepwise feedback stats${values.study ? ` --study ${values.study}` : ''}${dbFlag(values.db!)}` : `Nothing was kept (--db ${values.db}); pass --db <file> to record the session.`);
      return 0;
    } finally {
      person?.close();
      await store.close();
    }
  },
};

/** Runs the session at the terminal; Ctrl-C closes the input and aborts the search, so the run is recorded as interrupted. */
async function terminalSession(settings: Omit<Parameters<typeof runFeedbackSession>[0], 'person'>, person: Person & { close(): void; interrupt?(): void }) {
  let interrupted = false;
  const stop = new AbortController();
  const onSigint = () => {
    interrupted = true;
    stop.abort();
    (person.interrupt ?? person.close)();
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await runFeedbackSession({ ...settings, person, signal: stop.signal });
    return interrupted ? null : result;
  } catch (error) {
    if (interrupted) return null;
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Serves the session's page until the session ends, then lets the page read the final state. */
async function webSession(settings: Omit<Parameters<typeof startWebFeedbackSession>[0], 'userId' | 'profile' | 'port'>, userId: string, profile: string | undefined, port: number) {
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  let session;
  const stop = new AbortController();
  try {
    session = await startWebFeedbackSession({ ...settings, userId, profile, port, signal: stop.signal });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') throw new UsageError(`port ${port} on 127.0.0.1 is already in use`, { hint: 'pass another with --port <n>, or --port 0 for any free one' });
    throw error;
  }
  console.log(`stepwise feedback: open ${session.url} to pick and judge actions (user ${userId})`);
  console.error('The session ends when you end it on the page, or after the last turn; Ctrl-C stops it.');
  const interrupted = new Promise<null>((resolve) => process.once('SIGINT', () => resolve(null)));
  try {
    const ended = await Promise.race([session.finished, interrupted]);
    if (ended) return ended;
    stop.abort();
    session.cancel('interrupted');
    await session.finished.catch(() => undefined);
    return null;
  } finally {
    for (let waited = 0; !session.finalStateSeen && waited < 3000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await session.server.close();
  }
}

async function summarize(what: 'stats' | 'export', values: { study?: string; user?: string; output?: string; json?: boolean; db?: string }): Promise<number> {
  return withStore(values.db!, { readonly: true }, async (store) => {
    const runs = await feedbackRuns(store, { study: values.study, user: values.user });
    if (runs.length === 0) {
      throw new UsageError(`no feedback sessions${values.user ? ` of user "${values.user}"` : ''}${values.study ? ` in study "${values.study}"` : ''} in ${values.db}`, { hint: 'record one with `stepwise feedback <env> --tasks …`' });
    }
    const records = await collectFeedback(store, runs);
    const stats = feedbackStats(records);
    if (what === 'export') {
      const lines = [...records.preferences, ...records.judgments].map((r) => JSON.stringify(r));
      lines.push(JSON.stringify({ type: 'stats', schema: 'stepwise.feedback.stats/1', study: values.study ?? null, ...stats }));
      if (values.output) {
        try {
          await writeFile(values.output, `${lines.join('\n')}\n`);
        } catch (error) {
          throw new UsageError(`cannot write ${values.output}: ${(error as Error).message}`, { hint: 'pass -o <file> in a folder that exists and is writable' });
        }
        console.error(`wrote ${records.preferences.length} preference and ${records.judgments.length} judgment records from ${runs.length} session(s) to ${values.output}`);
      } else process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    if (values.json) {
      console.log(JSON.stringify(stats));
      return 0;
    }
    console.log(`${stats.sessions} session(s), ${stats.users} user(s)\n`);
    console.log(table(['action type', ...STATS_HEADERS], statsRows([...stats.byActionType, stats.overall])));
    console.log('');
    console.log(table(['user', ...STATS_HEADERS], statsRows(stats.byUser)));
    return 0;
  });
}
