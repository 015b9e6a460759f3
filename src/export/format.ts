import type { TaskCredit } from '../credit/compute.ts';
import type { RunRecord, TaskResultRecord } from '../store/records.ts';
import type { Store, StoredTree } from '../store/store.ts';
import type { TaskPrompts } from './prompts.ts';

export interface ExportOptions {
  /** Only tasks the run solved. */
  successOnly: boolean;
  /** dpo: skip pairs whose chosen and rejected values differ by less. */
  minGap: number;
}

/** One task of a run, with its tree, its credit (stored, or computed on the fly) and its prompts. */
export interface ExportTask {
  tree: StoredTree;
  result: TaskResultRecord | null;
  credit: TaskCredit;
  prompts: TaskPrompts;
}

/** One run to export: its record, the store (for formats that read annotations), and its tasks after the filters. */
export interface ExportRun {
  run: RunRecord;
  store: Store;
  tasks(): AsyncIterable<ExportTask>;
}

/** An export format: one JSON object per line. Register it in formats.ts. */
export interface ExportFormat {
  name: string;
  describe: string;
  /** Options this format reads besides --env and --success-only (others are refused rather than ignored). */
  reads?: readonly ('minGap')[];
  /** Why this format has nothing to take from a run (shown in the size report), or null when it does. */
  skipReason?(run: RunRecord): string | null;
  records(run: ExportRun, options: ExportOptions): AsyncIterable<object>;
}

export function defineExportFormat(format: ExportFormat): ExportFormat {
  return format;
}
