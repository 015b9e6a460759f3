export { emitTaskSpans, AGENT_NAME, type SpannedRun } from './tree-spans.ts';
export { startOtlpTracing, otlpTracesUrl, type OtlpTracing } from './otlp-tracing.ts';
export { exportRunAsOtel, type OtelExportOptions } from './export-run.ts';
export { withLiveOtelExport } from './live-export.ts';
