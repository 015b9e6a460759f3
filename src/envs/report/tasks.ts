import { existsSync, readFileSync } from 'node:fs';
import type { Task } from '../../core/environment.ts';
import { UsageError } from '../../core/errors.ts';
import type { ReportSpec } from './spec.ts';

export const REPORT_SPEC_HINT = 'use <corpus.jsonl|csv>#<query>[|<query>…] or <corpus>#@<queries.txt> (one query a line)';

/**
 * `papers.jsonl#how do agents use step-level feedback?|which benchmarks test web agents?`: one task
 * per query over one corpus; `papers.jsonl#@queries.txt` reads the queries from a file.
 */
export function loadReportTasks(spec: string): Task<ReportSpec>[] {
  const hash = spec.indexOf('#');
  if (hash <= 0) throw new UsageError(`the report task spec "${spec}" names no query`, { hint: REPORT_SPEC_HINT });
  const corpus = spec.slice(0, hash);
  const rest = spec.slice(hash + 1);
  if (!existsSync(corpus)) throw new UsageError(`cannot read the corpus ${corpus}: no such file`, { hint: REPORT_SPEC_HINT });
  let queries: string[];
  if (rest.startsWith('@')) {
    const path = rest.slice(1);
    if (!existsSync(path)) throw new UsageError(`cannot read the query file ${path}: no such file`, { hint: REPORT_SPEC_HINT });
    queries = readFileSync(path, 'utf8').split(/\r?\n/);
  } else queries = rest.split('|');
  queries = queries.map((q) => q.trim()).filter(Boolean);
  if (queries.length === 0) throw new UsageError(`the report task spec "${spec}" names no query`, { hint: REPORT_SPEC_HINT });
  return queries.map((query, i) => ({ id: `q${i + 1}`, env: 'report', source: `${corpus}#${query}`, spec: { query, corpus } }));
}
