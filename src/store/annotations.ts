import type { AnnotationFilter, AnnotationRecord } from './records.ts';

/**
 * The identity of an annotation's target within its run and kind: a later annotation with the same
 * run, kind, target and key replaces the earlier one. Task and node ids are joined (as JSON, which no id can
 * confuse) so that a missing one takes part in the comparison (SQL NULLs never compare equal).
 */
export function annotationTarget(record: Pick<AnnotationRecord, 'taskId' | 'nodeId'>): string {
  return JSON.stringify([record.taskId, record.nodeId]);
}

/** Why an annotation cannot be kept, or undefined when it can. Both backends give the same reasons. */
export function annotationProblem(record: AnnotationRecord): string | undefined {
  if (typeof record.kind !== 'string' || !/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/i.test(record.kind)) {
    return `annotation kind must be a dotted name such as "credit" or "feedback.turn", got ${JSON.stringify(record.kind)}`;
  }
  if (typeof record.key !== 'string') return `annotation key must be a string ('' when there is one per target), got ${JSON.stringify(record.key)}`;
  return undefined;
}

/** Whether an annotation's kind is the filter's kind or lies under it ('feedback' matches 'feedback.turn'). */
export function kindMatches(kind: string, wanted: string | undefined): boolean {
  return wanted === undefined || kind === wanted || kind.startsWith(`${wanted}.`);
}

export function annotationMatches(record: AnnotationRecord, filter: AnnotationFilter): boolean {
  return kindMatches(record.kind, filter.kind)
    && (filter.taskId === undefined || record.taskId === filter.taskId)
    && (filter.nodeId === undefined || record.nodeId === filter.nodeId);
}
