import { StoreError } from '../core/errors.ts';
import type { StoreRecord } from './records.ts';

/** One appended record a backend could not keep, and why. */
export interface RecordRejection {
  /** Which record, e.g. `node r1.5`. */
  label: string;
  reason: string;
  cause?: unknown;
}

/** The reason both backends give for a second record with the same id. */
export const ALREADY_RECORDED = 'a record with the same id was already recorded';

/** Names a record in messages, by its kind and id. */
export function describeRecord(record: StoreRecord): string {
  switch (record.type) {
    case 'run':
      return `run ${record.id}`;
    case 'task':
      return `task ${record.taskId} of run ${record.runId}`;
    case 'node':
      return `node ${record.id}`;
    case 'candidate':
      return `candidate ${record.id}`;
    case 'node_stats':
      return `node_stats of node ${record.nodeId}`;
    case 'task_result':
      return `task_result of task ${record.taskId} in run ${record.runId}`;
    case 'run_end':
      return `run_end of run ${record.runId}`;
    case 'model_call':
      return `model_call ${record.id}`;
    case 'annotation':
      return `annotation ${record.kind}${record.key ? `[${record.key}]` : ''} of ${record.nodeId ?? record.taskId ?? record.runId}`;
    default:
      return `record of unknown type ${JSON.stringify((record as { type?: unknown }).type)}`;
  }
}

/** Why a record whose `type` no backend knows is rejected. */
export function unknownTypeReason(): string {
  return 'expected one of run, task, node, candidate, node_stats, task_result, run_end, model_call, annotation';
}

/** Why a `node_stats` record is rejected when its node is not in the store. */
export function missingNodeReason(nodeId: string, runId: string): string {
  return `no node ${nodeId} of run ${runId} was recorded before it`;
}

/** The error `flush`/`close` raise after appended records were rejected. */
export function rejectedRecordsError(location: string, rejections: RecordRejection[]): StoreError {
  const first = rejections[0];
  const others = rejections.length > 1 ? ` (and ${rejections.length - 1} more)` : '';
  return new StoreError(`${rejections.length} appended record(s) were not kept in ${location}; first: ${first.label}: ${first.reason}${others}.`, {
    hint: 'This is a bug in the code that writes records: each run, task, node, candidate and model call is recorded once, and node_stats follow their node.',
    cause: first.cause,
  });
}

/** The error of an append to a store opened read-only, the same for every backend. */
export function readOnlyAppendError(record: StoreRecord, location: string): StoreError {
  return new StoreError(`Cannot append ${describeRecord(record)}: the store at ${location} was opened read-only.`, {
    hint: 'Open it without the readonly option to record into it.',
  });
}
