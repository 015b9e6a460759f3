import type { RunRecord } from '../store/records.ts';

/** Everything a run records about how it was made, in one object. */
export function provenanceOf(run: RunRecord) {
  return {
    runId: run.id,
    stepwiseVersion: run.stepwiseVersion,
    env: run.env,
    strategy: run.strategy,
    proposer: run.proposer,
    scorers: run.scorers,
    budget: run.budget,
    seed: run.seed,
    taskSpec: run.taskSpec,
    origin: run.origin ?? null,
    provenance: run.provenance ?? null,
  };
}

/** `stepwise show <run> --provenance`: what the run was made with, one fact per line. */
export function renderProvenance(run: RunRecord): string {
  const p = run.provenance;
  const lines = [
    `run ${run.id} · started ${run.startedAt}`,
    `stepwise     ${run.stepwiseVersion}`,
    `environment  ${run.env.name} v${run.env.version}`,
    `strategy     ${run.strategy.name} ${JSON.stringify(run.strategy.config)}`,
    `proposer     ${run.proposer.name}${run.proposer.config ? ` ${JSON.stringify(run.proposer.config)}` : ''}`,
    `scorers      ${run.scorers.map((s) => `${s.name}×${s.weight}${s.config ? ` ${JSON.stringify(s.config)}` : ''}`).join(', ') || 'none'}`,
    `budget       ${JSON.stringify(run.budget)}`,
    `seed         ${run.seed}`,
    `tasks        ${run.taskSpec}`,
    ...(run.origin ? [`origin       ${run.origin.kind} of ${run.origin.runId}${run.origin.nodeId ? ` at node ${run.origin.nodeId}` : ''}`] : []),
  ];
  if (!p) return [...lines, '', `(recorded by stepwise ${run.stepwiseVersion} without provenance: no machine, git, prompt or model details)`].join('\n');
  lines.push(
    `node         ${p.node} on ${p.platform}/${p.arch}`,
    `git          ${p.gitCommit ? `${p.gitCommit}${p.gitDirty ? ' (uncommitted changes)' : ''}` : 'not a git work tree'}`,
    `cwd          ${p.cwd}`,
    `command      stepwise ${p.argv.map((a) => (/^[\w./:@=,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`,
    `models       ${p.models.map((m) => `${m.spec} ${JSON.stringify(m.params)}`).join('; ') || 'none'}`,
    `prompts      ${p.prompts.length === 0 ? 'none' : `${p.prompts.length} template(s)`}`,
    ...p.prompts.map((t) => `  ${t.name.padEnd(28)} sha256 ${t.sha256}`),
    `recipe       ${p.recipe ? JSON.stringify(p.recipe) : 'not recorded (replay, resume and fork rebuild it from the run record)'}`,
  );
  return lines.join('\n');
}

/** One line naming where a run comes from and the runs branched from it. */
export function describeFamily(run: RunRecord, family: { origin: RunRecord | null; forks: RunRecord[] }): string {
  const parts: string[] = [];
  if (run.origin) {
    const at = run.origin.nodeId ? ` at node ${run.origin.nodeId}` : '';
    parts.push(`${run.origin.kind} of ${run.origin.runId}${at}${family.origin ? '' : ' (not in this store)'}`);
  }
  if (family.forks.length > 0) {
    parts.push(`forks: ${family.forks.map((f) => `${f.id} (at ${f.origin?.nodeId ?? '?'}, ${f.strategy.name})`).join(', ')}`);
  }
  return parts.length > 0 ? `family: ${parts.join(' · ')}` : 'family: no origin, no forks';
}
