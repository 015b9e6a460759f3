import { StoreError, UsageError } from '../core/errors.ts';
import type { CandidateRecord, NodeRecord } from '../store/records.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import type { Store, StoredTree } from '../store/store.ts';
import { dbFlag, intOption, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { duration, fixed, table } from './format.ts';

export const showCommand: Command = {
  name: 'show',
  summary: "show a run's tasks, or one task's tree with values, visits, verdicts and the chosen path",
  help: `Usage: stepwise show <run> [--task <id>] [--max-nodes <n>] [--json] [--db <path>]

<run> is a run id, a unique prefix of one, or "latest". Without --task, lists the run's
tasks and outcomes; with --task, prints that task's tree and its solution:
  *  the chosen path, root to solution (listed first at each level)
  +  a node the strategy kept or visited, off the chosen path
  ✓  a node that reaches the goal        ≡  a state already reached elsewhere
  ✗  an invalid step or candidate        ·  a node generated but not pursued

Examples:
  stepwise show latest
  stepwise show latest --task instance-1
  stepwise show r1a2b3 --task tot-900 --json > tree.json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('show', argv, {
      task: { type: 'string' },
      'max-nodes': { type: 'string', default: '300' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(showCommand.help);
      return 0;
    }
    const [runRef] = positionals;
    if (!runRef) throw new UsageError('which run?', { hint: 'pass a run id from `stepwise runs`, or "latest"' });
    rejectExtraPositionals('show', positionals, 1);
    const maxNodes = intOption('max-nodes', values['max-nodes'], { min: 1 })!;
    const store = openStore(values.db!, { readonly: true });
    try {
      const summary = await findRun(store, runRef);
      const { run } = summary;
      if (!values.task) {
        const tasks = await store.getTasks(run.id);
        const results = new Map(summary.results.map((r) => [r.taskId, r]));
        if (values.json) {
          console.log(JSON.stringify({ ...summary, taskRecords: tasks }));
          return 0;
        }
        console.log(`run ${run.id} · ${run.env.name} v${run.env.version} · ${run.strategy.name} ${JSON.stringify(run.strategy.config)} · seed ${run.seed}`);
        console.log(`tasks ${run.taskSpec} · proposer ${run.proposer.name} · scorers ${run.scorers.map((s) => s.name).join(', ') || 'none'} · ${summary.end?.status ?? 'not finished'}\n`);
        console.log(
          table(
            ['task', 'outcome', 'plan', 'expansions', 'nodes', 'wall', 'stop'],
            tasks.map((t) => {
              const r = results.get(t.taskId);
              return [t.taskId, r?.outcome ?? 'not finished', r?.plan?.length ?? '–', r?.expansions ?? '–', r?.nodes ?? '–', r ? duration(r.wallMs) : '–', r?.stopReason ?? ''];
            }),
          ),
        );
        console.log(`\nNext: stepwise show ${run.id} --task ${tasks[0]?.taskId ?? '<task>'}${dbFlag(values.db!)}`);
        return 0;
      }
      const tree = await store.getTree(run.id, values.task);
      if (values.json) {
        console.log(JSON.stringify({ ...tree, stats: Object.fromEntries(tree.stats) }));
        return 0;
      }
      console.log(renderTree(tree, maxNodes));
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** `getRun`, with the recorded runs added to the hint when the reference matches none. */
async function findRun(store: Store, runRef: string) {
  try {
    return await store.getRun(runRef);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const runs = await store.listRuns({ limit: 10 });
    if (runs.length === 0) throw error;
    const known = runs.map(({ run }) => `${run.id} (${run.env.name} ${run.strategy.name}, ${run.startedAt.slice(0, 19).replace('T', ' ')})`);
    throw new StoreError(error.message, { hint: `recorded runs, newest first: ${known.join(', ')}; see \`stepwise runs\`` });
  }
}

/** The tree as indented text, chosen path first at each level, capped at `maxNodes` lines. */
export function renderTree(tree: StoredTree, maxNodes: number): string {
  const { task, result, nodes, candidates, stats } = tree;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, NodeRecord[]>();
  for (const node of nodes) if (node.parentId) children.set(node.parentId, [...(children.get(node.parentId) ?? []), node]);
  const unexecuted = new Map<string, CandidateRecord[]>();
  const executed = new Set(nodes.map((n) => n.candidateId));
  for (const c of candidates) if (!executed.has(c.id)) unexecuted.set(c.nodeId, [...(unexecuted.get(c.nodeId) ?? []), c]);
  const candidateValue = new Map(candidates.map((c) => [c.id, c.value]));
  const chosen = new Set<string>();
  for (let id = result?.solutionNodeId ?? null; id !== null; id = byId.get(id)?.parentId ?? null) chosen.add(id);
  const rank = (node: NodeRecord) => (chosen.has(node.id) ? 2 : stats.get(node.id)?.selected ? 1 : 0);

  const lines = [
    `task ${task.taskId} · ${task.source}`,
    `goal: ${task.goalText}`,
    `outcome: ${result?.outcome ?? 'not finished'}${result?.plan ? ` in ${result.plan.length} steps` : ''}${result?.stopReason ? ` (${result.stopReason})` : ''} · ${nodes.length} nodes · ${result?.expansions ?? '?'} expansions`,
    ...(result?.plan ? [`solution: ${result.plan.map((step, i) => `${i + 1}. ${step}`).join('  ')}`] : []),
    '',
  ];
  let shown = 0;
  const visit = (node: NodeRecord, indent: string) => {
    if (shown >= maxNodes) return;
    shown++;
    const s = stats.get(node.id);
    const mark = node.success ? '✓' : !node.check.valid ? '✗' : node.duplicateOf ? '≡' : chosen.has(node.id) ? '*' : s?.selected ? '+' : '·';
    const facts = [
      node.id === result?.solutionNodeId ? '← solution' : '',
      s?.visits ? `n=${s.visits}` : '',
      s?.visits && s.value !== null ? `v=${fixed(s.value)}` : '',
      node.candidateId && candidateValue.get(node.candidateId) != null ? `score=${fixed(candidateValue.get(node.candidateId))}` : '',
      node.duplicateOf ? `same state as ${node.duplicateOf}` : '',
      s?.pruned ? `pruned: ${s.pruned}` : '',
      node.check.valid ? '' : node.check.reason ?? 'invalid',
    ].filter(Boolean);
    lines.push(`${indent}${mark} ${node.actionText ?? '(start)'}  ${facts.join('  ')}`.trimEnd());
    const kids = [...(children.get(node.id) ?? [])].sort((a, b) => rank(b) - rank(a));
    for (const child of kids) visit(child, `${indent}  `);
    for (const c of unexecuted.get(node.id) ?? []) {
      if (shown >= maxNodes) return;
      shown++;
      lines.push(`${indent}  ✗ ${c.text || '(empty)'}  ${c.invalidReason ?? 'not executed'}`);
    }
  };
  const root = nodes.find((n) => n.parentId === null);
  if (root) visit(root, '');
  const total = nodes.length + [...unexecuted.values()].reduce((sum, list) => sum + list.length, 0);
  if (shown < total) lines.push(`… ${total - shown} more lines (raise --max-nodes, or use --json)`);
  return lines.join('\n');
}
