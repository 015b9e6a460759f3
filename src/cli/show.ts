import { describeJudgmentTally, describeUnreadScores, tallyJudgments } from '../score/judgment-tally.ts';
import { describeProposalCap } from '../propose/proposal-cap.ts';
import type { CandidateRecord, ModelCallRecord, NodeRecord } from '../store/records.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import type { StoredTree } from '../store/store.ts';
import { dbFlag, defaultStore, intOption, parseCommandArgs, type Command } from './args.ts';
import { findRun, runArgument, withStore } from './stored-runs.ts';
import { describeModelUsage, summarizeModelCalls } from '../models/usage.ts';
import { duration, fixed, table } from './format.ts';
import { loadRunTree, runFamily } from '../replay/family.ts';
import { describeFamily, provenanceOf, renderProvenance } from './show-provenance.ts';
import { describeNodeCredit, loadStoredCredit } from '../credit/annotations.ts';
import type { NodeCredit } from '../credit/compute.ts';
import { asToolCall, toolCallTimingOf } from '../core/world.ts';
import { decisionNotesOf } from '../guards/decision-notes.ts';

export const showCommand: Command = {
  name: 'show',
  help: `Usage: stepwise show <run> [--task <id>] [--calls] [--provenance] [--max-nodes <n>] [--json] [--db <path>]

<run> is a run id, a unique prefix of one, or "latest". Without --task, lists the run's
tasks and outcomes; with --task, prints that task's tree and its solution:
  *  the chosen path, root to solution (listed first at each level)
  +  a node the strategy kept or visited, off the chosen path
  ✓  a node that reaches the goal        ≡  a state already reached elsewhere
  ✗  an invalid step or candidate        ·  a node generated but not pursued
  ○  a valid candidate never executed (MCTS left it unvisited, or its level was cut)
Each node shows its id's ending (.17): the node id is the run id followed by it, as
\`stepwise fork <run id>.17\` takes it (a unique prefix of the run id will do).
Nodes whose expansion called a model show calls=N (and how many were cache hits).
--calls lists the task's model calls: sent or cached, tokens, latency, the reply or error.
--provenance prints what the run was made with: versions, settings, prompts, models, machine, git.
A fork's tree is the path it shares with its origin followed by its own steps; the overview
names the run's origin and its forks.

Examples:
  stepwise show latest
  stepwise show latest --task instance-1
  stepwise show r1a2b3 --task tot-900 --calls
  stepwise show r1a2b3 --task tot-900 --json > tree.json
  stepwise show latest --provenance`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('show', argv, {
      task: { type: 'string' },
      calls: { type: 'boolean', default: false },
      provenance: { type: 'boolean', default: false },
      'max-nodes': { type: 'string', default: '300' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: defaultStore() },
    });
    if (values.help) {
      console.log(showCommand.help);
      return 0;
    }
    const runRef = runArgument('show', positionals);
    const maxNodes = intOption('max-nodes', values['max-nodes'], { min: 1 })!;
    return withStore(values.db!, { readonly: true }, async (store) => {
      const summary = await findRun(store, runRef);
      const { run } = summary;
      if (values.provenance) {
        console.log(values.json ? JSON.stringify(provenanceOf(run)) : renderProvenance(run));
        return 0;
      }
      if (!values.task) {
        const tasks = await store.getTasks(run.id);
        const results = new Map(summary.results.map((r) => [r.taskId, r]));
        if (values.json) {
          console.log(JSON.stringify({ ...summary, taskRecords: tasks }));
          return 0;
        }
        console.log(`run ${run.id} · ${run.env.name} v${run.env.version} · ${run.strategy.name} ${JSON.stringify(run.strategy.config)} · seed ${run.seed}`);
        console.log(`tasks ${run.taskSpec} · proposer ${run.proposer.name} · scorers ${run.scorers.map((s) => s.name).join(', ') || 'none'} · ${summary.end?.status ?? 'not finished'}`);
        const cap = describeProposalCap(run);
        if (cap) console.log(cap);
        console.log(`${describeFamily(run, await runFamily(store, run))}\n`);
        const usesModel = run.proposer.name.startsWith('llm:') || run.scorers.some((s) => s.name.startsWith('llm-'));
        const usage = new Map<string, ReturnType<typeof summarizeModelCalls>>();
        const allCalls: ModelCallRecord[] = [];
        const tally = tallyJudgments([]);
        if (usesModel) {
          for (const t of tasks) {
            const { modelCalls, candidates } = await store.getTree(run.id, t.taskId);
            tallyJudgments(candidates, tally);
            usage.set(t.taskId, summarizeModelCalls(modelCalls));
            allCalls.push(...modelCalls);
          }
        }
        const modelHeaders = usesModel ? ['calls sent', 'cache hits', 'tokens'] : [];
        console.log(
          table(
            ['task', 'outcome', 'plan', 'expansions', 'nodes', ...modelHeaders, 'wall', 'stop'],
            tasks.map((t) => {
              const r = results.get(t.taskId);
              const u = usage.get(t.taskId);
              const modelCells = u ? [u.sent, u.cacheHits, u.inputTokens + u.outputTokens] : [];
              return [t.taskId, r?.outcome ?? 'not finished', r?.plan?.length ?? '–', r?.expansions ?? '–', r?.nodes ?? '–', ...modelCells, r ? duration(r.wallMs) : '–', r?.stopReason ?? ''];
            }),
          ),
        );
        if (usesModel) console.log(`\nmodel calls: ${describeModelUsage(summarizeModelCalls(allCalls))}`);
        const judgmentLine = describeJudgmentTally(tally);
        if (judgmentLine) console.log(judgmentLine);
        console.log(`\nNext: stepwise show ${run.id} --task ${tasks[0]?.taskId ?? '<task>'}${dbFlag(values.db!)}`);
        return 0;
      }
      const tree = await loadRunTree(store, run.id, values.task);
      if (values.json) {
        console.log(JSON.stringify({ ...tree, stats: Object.fromEntries(tree.stats) }));
        return 0;
      }
      const cap = describeProposalCap(run);
      if (cap && !values.calls) console.log(cap);
      console.log(values.calls ? renderCalls(tree) : renderTree(tree, maxNodes, (await loadStoredCredit(store, run.id, values.task))?.nodes, await decisionNotesOf(store, run.id, values.task)));
      return 0;
    });
  },
};

/** The tree as indented text, chosen path first at each level, capped at `maxNodes` lines. */
export function renderTree(
  tree: StoredTree,
  maxNodes: number,
  credit?: ReadonlyMap<string, NodeCredit>,
  /** Lines under a candidate or the node it became: what guards and people decided on it (`decisionNotesOf`). */
  decisionNotes?: ReadonlyMap<string, readonly string[]>,
): string {
  const { task, result, nodes, candidates, stats } = tree;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, NodeRecord[]>();
  for (const node of nodes) if (node.parentId) children.set(node.parentId, [...(children.get(node.parentId) ?? []), node]);
  const unexecuted = new Map<string, CandidateRecord[]>();
  const executed = new Set(nodes.map((n) => n.candidateId));
  for (const c of candidates) if (!executed.has(c.id)) unexecuted.set(c.nodeId, [...(unexecuted.get(c.nodeId) ?? []), c]);
  const candidateValue = new Map(candidates.map((c) => [c.id, c.value]));
  const candidateScores = new Map(candidates.map((c) => [c.id, c.scores]));
  const chosen = new Set<string>();
  for (let id = result?.solutionNodeId ?? null; id !== null; id = byId.get(id)?.parentId ?? null) chosen.add(id);
  const callsByNode = new Map<string, { calls: number; hits: number }>();
  for (const call of tree.modelCalls) {
    if (!call.nodeId) continue;
    const entry = callsByNode.get(call.nodeId) ?? { calls: 0, hits: 0 };
    entry.calls++;
    if (call.cacheHit) entry.hits++;
    callsByNode.set(call.nodeId, entry);
  }
  const rank = (node: NodeRecord) => (chosen.has(node.id) ? 2 : stats.get(node.id)?.selected ? 1 : 0);
  // Ids are printed short, as their ending after the run id; nodes a fork shares with its origin keep their full id.
  const ownPrefix = `${task.runId}.`;
  const shortId = (id: string) => (id.startsWith(ownPrefix) ? id.slice(task.runId.length) : id);
  const forkExample = nodes.find((n) => n.parentId !== null && n.id.startsWith(ownPrefix))?.id ?? `${task.runId}.<n>`;

  const lines = [
    `task ${task.taskId} · ${task.source}`,
    `goal: ${task.goalText}`,
    `outcome: ${result?.outcome ?? 'not finished'}${result?.plan ? ` in ${result.plan.length} steps` : ''}${result?.stopReason ? ` (${result.stopReason})` : ''} · ${nodes.length} nodes · ${result?.expansions ?? '?'} expansions`,
    ...(result?.plan ? [`solution: ${result.plan.map((step, i) => `${i + 1}. ${step}`).join('  ')}`] : []),
    ...(tree.modelCalls.length > 0 ? [`model calls: ${describeModelUsage(summarizeModelCalls(tree.modelCalls))} (--calls lists them)`] : []),
    ...[describeJudgmentTally(tallyJudgments(candidates))].filter((line): line is string => line !== null),
    `node ids: ${task.runId} followed by the ending each node shows (e.g. stepwise fork ${forkExample})`,
    '',
  ];
  let shown = 0;
  const visit = (node: NodeRecord, indent: string) => {
    if (shown >= maxNodes) return;
    shown++;
    const s = stats.get(node.id);
    const mark = node.success ? '✓' : !node.check.valid ? '✗' : node.duplicateOf ? '≡' : chosen.has(node.id) ? '*' : s?.selected ? '+' : '·';
    const facts = [
      shortId(node.id),
      node.id === result?.solutionNodeId ? '← solution' : '',
      s?.visits ? `n=${s.visits}` : '',
      s?.visits && s.value !== null ? `v=${fixed(s.value)}` : '',
      node.candidateId && candidateValue.get(node.candidateId) != null ? `score=${fixed(candidateValue.get(node.candidateId))}` : '',
      node.candidateId ? describeUnreadScores(candidateScores.get(node.candidateId) ?? []) : '',
      node.duplicateOf ? `same state as ${node.duplicateOf}` : '',
      s?.pruned ? `pruned: ${s.pruned}` : '',
      node.check.valid ? node.check.note ?? '' : node.check.reason ?? 'invalid',
      credit?.has(node.id) ? describeNodeCredit(credit.get(node.id)!) : '',
      callsByNode.has(node.id) ? `calls=${callsByNode.get(node.id)!.calls}${callsByNode.get(node.id)!.hits ? ` (${callsByNode.get(node.id)!.hits} cached)` : ''}` : '',
    ].filter(Boolean);
    lines.push(`${indent}${mark} ${node.actionText ?? '(start)'}  ${facts.join('  ')}`.trimEnd());
    // A tool call's result and duration, under the call.
    if (asToolCall(node.action)) {
      const timing = toolCallTimingOf(node.state);
      lines.push(`${indent}    → ${oneLine(node.observation, 100) || '(no output)'}${timing ? `  (${duration(timing.durationMs)})` : ''}`);
    }
    for (const note of (node.candidateId && decisionNotes?.get(node.candidateId)) || []) lines.push(`${indent}    ${oneLine(note, 160)}`);
    const kids = [...(children.get(node.id) ?? [])].sort((a, b) => rank(b) - rank(a));
    for (const child of kids) visit(child, `${indent}  `);
    for (const c of unexecuted.get(node.id) ?? []) {
      if (shown >= maxNodes) return;
      shown++;
      // ✗ is for invalid steps only; a valid candidate the strategy never took (MCTS, a pruned level) is ○ (both in the legend).
      const facts = c.invalidReason ? [c.invalidReason] : ['not executed', c.value != null ? `score=${fixed(c.value)}` : '', describeUnreadScores(c.scores)];
      lines.push(`${indent}  ${c.invalidReason ? '✗' : '○'} ${oneLine(c.text) || '(empty)'}  ${facts.filter(Boolean).join('  ')}`);
      for (const note of decisionNotes?.get(c.id) ?? []) lines.push(`${indent}      ${oneLine(note, 160)}`);
    }
  };
  const root = nodes.find((n) => n.parentId === null);
  if (root) visit(root, '');
  const total = nodes.length + [...unexecuted.values()].reduce((sum, list) => sum + list.length, 0);
  if (shown < total) lines.push(`… ${total - shown} more lines (raise --max-nodes, or use --json)`);
  return lines.join('\n');
}

/** Model replies can be long and multi-line: the first line, cut to `width` characters. */
function oneLine(text: string, width = 80): string {
  const lines = text.trim().split('\n');
  const first = lines[0] ?? '';
  const more = lines.length > 1 ? ` …(+${lines.length - 1} lines)` : '';
  return (first.length > width ? `${first.slice(0, width)}…` : first) + more;
}

/** The task's model calls, one per line, in the order made. */
export function renderCalls(tree: StoredTree): string {
  if (tree.modelCalls.length === 0) return `task ${tree.task.taskId}: no model calls recorded`;
  return [
    `task ${tree.task.taskId} · model calls: ${describeModelUsage(summarizeModelCalls(tree.modelCalls))}`,
    '',
    table(
      ['call', 'model', 'cache', 'tokens in/out', 'latency', 'tries', 'reply or error'],
      tree.modelCalls.map((call) => [
        call.id,
        call.model,
        call.cacheHit ? `hit ${call.cachedFrom ?? ''}`.trim() : 'sent',
        call.usage ? `${call.usage.inputTokens}/${call.usage.outputTokens}` : '–',
        duration(call.latencyMs),
        call.attempts,
        call.error ? `ERROR ${oneLine(call.error, 60)}` : oneLine(call.text ?? '', 60),
      ]),
    ),
    '',
    'Full requests and replies: stepwise show <run> --task <id> --json (modelCalls)',
  ].join('\n');
}
