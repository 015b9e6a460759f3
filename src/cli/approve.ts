import { createInterface } from 'node:readline/promises';
import { UsageError } from '../core/errors.ts';
import { approvalsOf, recordApproval, type PendingApproval } from '../guards/approvals.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, parseCommandArgs, type Command } from './args.ts';
import { findRun, runArgument, withRecordedStore } from './stored-runs.ts';

export const approveCommand: Command = {
  name: 'approve',
  help: `Usage: stepwise approve <run> [--approve <id|all>] [--reject <id> --reason <text>] [--edit <id> --action <text>]
                        [--by <name>] [--list] [--db <path>]

A guard that asks a person holds the candidate action: it is not executed, the run ends its task as
"awaiting approval" and the process may exit. This command shows each held action with the path that led
to it (every step and what it returned), and records your decision in the store. \`stepwise resume <run>\`
(or resumeRun in the library) then continues the run from there in a new process: approved and edited
actions join their node as new candidates; rejected ones stay refused, with your reason recorded.
Several held actions across branches are answered in one sitting. Without decision flags, on a terminal,
it asks about each pending action in turn ([a]pprove, [r]eject, [e]dit, [s]kip).

Options:
  --approve <id|all>  approve a held candidate (repeatable), or all that are pending
  --reject <id>       reject one; needs --reason
  --edit <id>         replace its action with --action <text> (the environment's text form)
  --by <name>         who decides (default $USER)
  --list              only list what is held, and the decisions recorded
  --db <path>         store file (default ${DEFAULT_STORE_PATH})

Examples:
  stepwise approve latest --list
  stepwise approve r1a2b3 --approve all --by alice
  stepwise approve r1a2b3 --reject r1a2b3.4/0 --reason "never push to main"`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('approve', argv, {
      approve: { type: 'string', multiple: true },
      reject: { type: 'string' },
      reason: { type: 'string' },
      edit: { type: 'string' },
      action: { type: 'string' },
      by: { type: 'string', default: process.env.USER ?? 'terminal' },
      list: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(approveCommand.help);
      return 0;
    }
    const runRef = runArgument('approve', positionals);
    return withRecordedStore(values.db!, async (store) => {
      const { run } = await findRun(store, runRef);
      const held = await approvalsOf(store, run.id);
      if (held.length === 0) {
        console.log(`run ${run.id} holds no actions for approval.`);
        return 0;
      }
      const pending = held.filter((h) => h.decision === null);
      const byId = (id: string): PendingApproval => {
        const found = held.find((h) => h.candidateId === id || h.candidateId.endsWith(`.${id}`));
        if (!found) throw new UsageError(`run ${run.id} holds no candidate ${id} for approval`, { hint: `held: ${held.map((h) => h.candidateId).join(', ')}` });
        return found;
      };
      const by = values.by!;
      let decided = 0;
      if (values.list) held.forEach((h) => console.log(describe(h)));
      else if (values.approve || values.reject || values.edit) {
        for (const id of values.approve ?? []) for (const h of id === 'all' ? pending : [byId(id)]) (recordApproval(store, h, { verdict: 'approve', by }), decided++);
        if (values.reject) (recordApproval(store, byId(values.reject), { verdict: 'reject', reason: values.reason, by }), decided++);
        if (values.edit) (recordApproval(store, byId(values.edit), { verdict: 'edit', actionText: values.action, reason: values.reason, by }), decided++);
      } else if (process.stdin.isTTY) decided = await askEach(store, pending, by);
      else {
        held.forEach((h) => console.log(describe(h)));
        console.log(`\nAnswer with --approve <id|all>, --reject <id> --reason …, or --edit <id> --action … (or run this on a terminal).`);
        return 0;
      }
      await store.flush();
      if (decided > 0) console.log(`Recorded ${decided} decision${decided > 1 ? 's' : ''}. Next: stepwise resume ${run.id}${dbFlag(values.db!)}`);
      return 0;
    });
  },
};

function describe(h: PendingApproval): string {
  const steps = h.path.map((s, i) => `    ${i + 1}. ${s.actionText}${s.observation ? `\n       → ${s.observation.split('\n')[0].slice(0, 160)}` : ''}`).join('\n');
  const state = h.decision ? `${h.decision.verdict} by ${h.decision.by}${h.decision.reason ? ` (${h.decision.reason})` : ''}${h.decision.actionText ? `: ${h.decision.actionText}` : ''}` : 'pending';
  return `${h.candidateId}  [${state}]  task ${h.taskId}\n  held by ${h.guard}: ${h.reason}\n  path so far:\n${steps || '    (the task\'s start)'}\n  action: ${h.actionText}\n`;
}

async function askEach(store: Parameters<typeof recordApproval>[0], pending: PendingApproval[], by: string): Promise<number> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  let decided = 0;
  try {
    for (const h of pending) {
      console.log(describe(h));
      const answer = (await terminal.question('[a]pprove, [r]eject, [e]dit, [s]kip? ')).trim().toLowerCase();
      if (answer.startsWith('a')) recordApproval(store, h, { verdict: 'approve', by });
      else if (answer.startsWith('r')) recordApproval(store, h, { verdict: 'reject', reason: await terminal.question('reason: '), by });
      else if (answer.startsWith('e')) recordApproval(store, h, { verdict: 'edit', actionText: await terminal.question('new action: '), by });
      else continue;
      decided++;
    }
  } finally {
    terminal.close();
  }
  return decided;
}
