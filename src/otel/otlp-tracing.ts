import type { Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { UsageError } from '../core/errors.ts';
import { STEPWISE_VERSION } from '../core/version.ts';

/** Spans on their way to an OTLP/HTTP collector. */
export interface OtlpTracing {
  tracer: Tracer;
  /** Spans the collector accepted so far. */
  readonly exported: number;
  /** Sends every span still buffered; throws when the collector refused or could not be reached. */
  flush(): Promise<void>;
  /** Flushes and stops. */
  shutdown(): Promise<void>;
}

/** `http://host:4318` → `http://host:4318/v1/traces` (a URL already naming a path is kept). */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw endpointError(endpoint, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw endpointError(endpoint, `its scheme is ${url.protocol.replace(/:$/, '')}, not http or https`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

/**
 * A tracer whose spans go in batches to an OTLP/HTTP collector (JSON encoding, which every collector reads).
 * Failures are kept and raised by `flush`, so a command can say that the collector did not take the spans.
 */
export function startOtlpTracing(endpoint: string, options: { headers?: Record<string, string> } = {}): OtlpTracing {
  const url = otlpTracesUrl(endpoint);
  const otlp = new OTLPTraceExporter({ url, headers: options.headers, timeoutMillis: 10_000 });
  let exported = 0;
  let failure: Error | undefined;
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      otlp.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) exported += spans.length;
        else failure ??= result.error ?? new Error('the export failed');
        done(result);
      });
    },
    shutdown: () => otlp.shutdown(),
    forceFlush: () => otlp.forceFlush(),
  };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'stepwise', [ATTR_SERVICE_VERSION]: STEPWISE_VERSION }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 200 })],
  });
  const flush = async () => {
    await provider.forceFlush();
    if (failure) {
      const error = failure;
      failure = undefined;
      throw new UsageError(`the OpenTelemetry collector at ${url} did not take the spans: ${error.message}`, {
        hint: 'check that an OTLP/HTTP receiver listens there (an OpenTelemetry Collector, Jaeger, Phoenix…: port 4318 by default)',
        cause: error,
      });
    }
  };
  return {
    tracer: provider.getTracer('stepwise', STEPWISE_VERSION),
    get exported() {
      return exported;
    },
    flush,
    async shutdown() {
      try {
        await flush();
      } finally {
        await provider.shutdown();
      }
    },
  };
}

function endpointError(endpoint: string, why: string): UsageError {
  return new UsageError(`"${endpoint}" is not an OTLP/HTTP endpoint: ${why}`, { hint: 'e.g. --endpoint http://127.0.0.1:4318 (the collector\'s OTLP/HTTP port)' });
}
