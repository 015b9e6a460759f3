import type { ModelCallRecord } from '../store/records.ts';

/** What a set of recorded model calls cost. Tokens count sent calls only: a cache hit repeats its original's usage. */
export interface ModelUsageSummary {
  calls: number;
  sent: number;
  cacheHits: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
}

export function summarizeModelCalls(calls: readonly ModelCallRecord[]): ModelUsageSummary {
  const summary: ModelUsageSummary = { calls: calls.length, sent: 0, cacheHits: 0, failed: 0, inputTokens: 0, outputTokens: 0 };
  for (const call of calls) {
    if (call.cacheHit) summary.cacheHits++;
    else summary.sent++;
    if (call.error) summary.failed++;
    if (!call.cacheHit && call.usage) {
      summary.inputTokens += call.usage.inputTokens;
      summary.outputTokens += call.usage.outputTokens;
    }
  }
  return summary;
}

export function describeModelUsage(usage: ModelUsageSummary): string {
  return `${usage.sent} sent, ${usage.cacheHits} cache hits, ${usage.failed} failed, ${usage.inputTokens + usage.outputTokens} tokens (${usage.inputTokens} in, ${usage.outputTokens} out)`;
}
