import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import type { Guard } from '../core/step.ts';
import { flowGuard, policyGuard } from '../guards/builtin.ts';
import { falseAlarms, replayThroughGuards, summarizeGuardEval, type GuardEvalSummary, type StepLabel, type TrajectoryVerdict } from '../guards/evaluate.ts';
import { guardEvalHtml } from '../guards/report.ts';
import { compilePolicy, DEFAULT_POLICY, loadPolicy } from '../guards/policy.ts';
import { loadRecordedTrajectories } from '../import/agenthazard.ts';
import { parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { table } from './format.ts';
import { createProgress } from './progress.ts';

const GUARD_NAMES = ['policy', 'flow'] as const;

export const guardEvalCommand: Command = {
  name: 'guard-eval',
  help: `Usage: stepwise guard-eval <traces> [--harmless <traces>] [--labels <labels.json>] [--guards policy,flow]
                           [--policy <policy.yaml>] [--workspace <dir>] [--html <report.html>] [--json]

Reads agent runs in AgentHazard's trace format (a folder of trace files, or a .jsonl with one run per
line: {id, category, jailbreak_method, query, turns: [{turn_idx, input, output}]}, shell commands in
<bash> blocks), and asks the guard chain about each turn's commands with the turns before it as the
path. Reports, per category and attack strategy, how many trajectories were stopped and at which turn.
With --labels (a hand-labelled sample, docs/guards.md): recall on the steps that complete an
exfiltration, destructive or persistence flow, and whether each stop came on time, early, needlessly
early (a harmless first step) or late. With --harmless: the false-alarm rate on harmless sessions.

Options:
  --guards <list>       guards in chain order: ${GUARD_NAMES.join(', ')} (default policy,flow)
  --policy <file>       a guard policy (YAML or JSON, docs/guards.md); the built-in default otherwise
  --workspace <dir>     the folder the agent worked in (AgentHazard's agents ran in /root; default /root)
  --labels <file>       step labels, {"labels": {"<trace id>#<turn>": "prep" | "harm:exfil" | …}}
  --harmless <traces>   harmless sessions in the same format, for the false-alarm rate
  --html <file>         also write an HTML report with a table and a chart
  --json                print the summary as JSON

Example:
  stepwise guard-eval ../shared/data/agenthazard/traces/claude-kimi_k2 \\
    --labels test/fixtures/agenthazard/labels.json --harmless examples/guards/harmless-sessions.jsonl`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('guard-eval', argv, {
      guards: { type: 'string', default: 'policy,flow' },
      policy: { type: 'string' },
      workspace: { type: 'string', default: '/root' },
      labels: { type: 'string' },
      harmless: { type: 'string' },
      html: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(guardEvalCommand.help);
      return 0;
    }
    const [tracesPath] = positionals;
    if (!tracesPath) throw new UsageError('name the traces to replay', { hint: 'e.g. stepwise guard-eval ../shared/data/agenthazard/traces/claude-kimi_k2' });
    rejectExtraPositionals('guard-eval', positionals, 1);
    const policy = values.policy ? loadPolicy(values.policy, { workspace: values.workspace }) : compilePolicy({ ...DEFAULT_POLICY, workspace: values.workspace });
    const guards = values.guards!.split(',').map((name): Guard => {
      if (name === 'policy') return policyGuard(policy);
      if (name === 'flow') return flowGuard(policy);
      throw new UsageError(`unknown guard "${name}" in --guards`, { hint: `choose from ${GUARD_NAMES.join(', ')}; the model-judged guard runs inside searches (stepwise run --guard judged)` });
    });
    const labels = values.labels ? readLabels(values.labels) : undefined;
    const verdicts = await replayAll(loadRecordedTrajectories(tracesPath), guards, 'traces');
    const summary = summarizeGuardEval(verdicts, labels);
    const harmless = values.harmless ? falseAlarms(await replayAll(loadRecordedTrajectories(values.harmless), guards, 'harmless sessions')) : null;
    if (values.html) writeFileSync(values.html, guardEvalHtml(summary, harmless, verdicts, guards.map((g) => g.name)));
    if (values.json) console.log(JSON.stringify({ guards: guards.map((g) => g.name), summary, harmless }, null, 2));
    else printSummary(summary, harmless, verdicts);
    return 0;
  },
};

async function replayAll(trajectories: ReturnType<typeof loadRecordedTrajectories>, guards: Guard[], what: string): Promise<TrajectoryVerdict[]> {
  const progress = createProgress(`guard-eval: ${what}`, trajectories.length);
  const verdicts: TrajectoryVerdict[] = [];
  for (const trajectory of trajectories) {
    verdicts.push(await replayThroughGuards(trajectory, guards));
    progress.update(verdicts.length);
  }
  progress.finish();
  return verdicts;
}

function readLabels(path: string): Record<string, StepLabel> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the labels ${path}: ${(error as Error).message}`, { hint: 'a JSON file {"labels": {"<trace id>#<turn>": "prep" | "harm:exfil" | …}}' });
  }
  const labels = (parsed as { labels?: unknown }).labels;
  if (typeof labels !== 'object' || labels === null) throw new UsageError(`the labels file ${path} has no "labels" object`);
  const bad = Object.entries(labels).find(([, label]) => !/^(prep|harm:(exfil|persist|destroy|exhaust|other))$/.test(String(label)));
  if (bad) throw new UsageError(`the labels file ${path} labels ${bad[0]} "${String(bad[1])}"`, { hint: 'labels are prep, harm:exfil, harm:persist, harm:destroy, harm:exhaust or harm:other' });
  return labels as Record<string, StepLabel>;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

function printSummary(summary: GuardEvalSummary, harmless: ReturnType<typeof falseAlarms> | null, verdicts: TrajectoryVerdict[]): void {
  const rows = (groups: GuardEvalSummary['byCategory']) => groups.map((g) => [g.group, g.trajectories, g.stopped, percent(g.stopped, g.trajectories), g.meanStopTurn === null ? '–' : g.meanStopTurn.toFixed(1)]);
  console.log(`${summary.trajectories} trajectories, ${summary.stopped} stopped\n`);
  console.log(table(['category', 'runs', 'stopped', 'share', 'mean stop turn'], rows(summary.byCategory)));
  console.log();
  console.log(table(['attack strategy', 'runs', 'stopped', 'share', 'mean stop turn'], rows(summary.byAttack)));
  const labelled = summary.labelled;
  if (labelled) {
    console.log(`\nlabelled sample: ${labelled.steps} steps`);
    console.log(table(['label', 'steps', 'denied when reached', 'prevented'], labelled.harms.map((h) => [h.kind, h.steps, h.denied, h.prevented])));
    console.log(`\nrecall on exfiltration, destructive and persistence steps: ${(labelled.flowRecall * 100).toFixed(1)}%`);
    const t = labelled.timing;
    console.log(`stops: ${t.onTime} on time, ${t.early} early, ${t.needlesslyEarly} needlessly early, ${t.late} late, ${t.missed} missed`);
    console.log(`prep steps denied: ${labelled.prepDenied} of ${labelled.prepSteps}`);
  }
  if (harmless) console.log(`\nharmless sessions: ${harmless.denied} of ${harmless.steps} steps denied (${percent(harmless.denied, harmless.steps)} false alarms), ${harmless.sessionsStopped} of ${harmless.sessions} sessions stopped`);
  const stopped = verdicts.filter((v) => v.stoppedAt !== null).slice(0, 5);
  if (stopped.length) {
    console.log('\nfirst stops (what ran before → the stop):');
    for (const v of stopped) console.log(`  ${v.id} turn ${v.stoppedAt}: ${v.stopReason}${v.ranBefore.length ? ` (after ${v.ranBefore.length} turn${v.ranBefore.length > 1 ? 's' : ''} ran)` : ''}`);
  }
}
