import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { startOtlpTracing } from './otlp-tracing.ts';
import { emitTaskSpans } from './tree-spans.ts';

export interface OtelExportOptions {
  /** The collector's OTLP/HTTP endpoint, e.g. `http://127.0.0.1:4318`. */
  endpoint: string;
  headers?: Record<string, string>;
  /** Called after each task's spans are sent. */
  onTask?: (done: number, total: number) => void;
}

/** Sends a recorded run's trees to an OpenTelemetry collector, one trace per task; returns the spans it accepted. */
export async function exportRunAsOtel(store: Store, run: RunRecord, options: OtelExportOptions): Promise<{ tasks: number; spans: number }> {
  const tracing = startOtlpTracing(options.endpoint, { headers: options.headers });
  try {
    const tasks = await store.getTasks(run.id);
    let done = 0;
    for (const task of tasks) {
      emitTaskSpans(tracing.tracer, run, await store.getTree(run.id, task.taskId));
      // A task at a time, so a big run never holds all its spans in memory.
      await tracing.flush();
      options.onTask?.(++done, tasks.length);
    }
    return { tasks: tasks.length, spans: tracing.exported };
  } finally {
    await tracing.shutdown();
  }
}
