import { messageOf, type WarnOnce } from '@genxai/obs-core';
import type { DestinationStream, Logger } from 'pino';
import type { OtlpPipeline } from './otlp-export';
import { lineToRecord } from './otlp-record';

// pino's public symbol: a stream that has it set gets each line's level number and logger as
// `lastLevel` / `lastLogger` just before `write` (what pino.multistream uses).
const METADATA = Symbol.for('pino.metadata');
const PIPELINE = Symbol.for('genxai.logging.otlp');

interface PinoMetadata {
  lastLevel?: number;
  lastObj?: unknown;
  lastMsg?: unknown;
  lastTime?: unknown;
  lastLogger?: { levels?: { labels?: Record<number, string> } };
}

type Flushable = DestinationStream & {
  flush?: (callback: (error?: Error) => void) => void;
  flushSync?: () => void;
  [METADATA]?: boolean;
};

/**
 * A destination that writes each line to `output` exactly as before, then queues it for OTLP.
 * The record is built from the written line, after our redaction, `redactPaths` and truncation,
 * so the collector never gets a value the line does not show. A line that cannot be exported is
 * reported once and never throws into the caller. `flush(callback)`, which pino's `logger.flush`
 * calls, flushes `output` and the OTLP queue.
 */
export function otlpDestination(
  output: DestinationStream,
  pipeline: OtlpPipeline,
  warn: WarnOnce,
): DestinationStream {
  const inner = output as Flushable;
  // A pino.multistream (or any metadata stream) given as destination still needs its metadata.
  const innerWantsMetadata = inner[METADATA] === true;
  const destination = {
    [METADATA]: true,
    write(this: PinoMetadata, line: string) {
      if (innerWantsMetadata) {
        const target = inner as unknown as PinoMetadata;
        target.lastLevel = this.lastLevel;
        target.lastObj = this.lastObj;
        target.lastMsg = this.lastMsg;
        target.lastTime = this.lastTime;
        target.lastLogger = this.lastLogger;
      }
      inner.write(line);
      try {
        const level = this.lastLevel;
        const label = level === undefined ? undefined : this.lastLogger?.levels?.labels?.[level];
        pipeline.emit(lineToRecord(line, level, label));
      } catch (error) {
        warn(
          'otlp-record',
          'GENXAI_LOG_EXPORT_FAILED',
          `@genxai/logging: a log line could not be queued for OTLP export (${messageOf(error)}); it was written, and not exported. Reported once.`,
        );
      }
    },
    flush(callback: (error?: Error) => void) {
      const lines = new Promise<Error | undefined>((resolve) => {
        try {
          if (typeof inner.flush === 'function') inner.flush((error) => resolve(error ?? undefined));
          else resolve(undefined);
        } catch (error) {
          // Passed to the callback, as the output's own flush would have done had it not thrown.
          resolve(error instanceof Error ? error : new Error(messageOf(error)));
        }
      });
      void Promise.all([lines, pipeline.flush()]).then(([error]) => callback(error));
    },
    flushSync() {
      inner.flushSync?.();
    },
  };
  return destination as unknown as DestinationStream;
}

/** Remembers the pipeline on the root logger; its children find it through their prototype. */
export function attachPipeline(logger: Logger, pipeline: OtlpPipeline): void {
  Object.defineProperty(logger, PIPELINE, { value: pipeline, enumerable: false });
}

/** The OTLP pipeline of a logger made by `createLogger({ otlp })`, or of a child of it. */
export function pipelineOf(logger: Logger): OtlpPipeline | undefined {
  return (logger as unknown as Record<symbol, OtlpPipeline | undefined>)[PIPELINE];
}

/**
 * Flushes a logger's lines and shuts its OTLP export down: queued records are sent and the
 * exporter is closed, within the OTLP `timeoutMillis` in all. Call it once, when the
 * application stops; lines logged afterwards are still written, and no longer exported. Without
 * OTLP export it only flushes. Never rejects.
 *
 * `logger.flush(callback)` alone also exports the queued records, and keeps exporting afterwards
 * (for a serverless handler, before it returns).
 *
 * @example
 * process.once('SIGTERM', async () => {
 *   await shutdownLogger(logger);
 *   process.exit(0);
 * });
 */
export async function shutdownLogger(logger: Logger): Promise<void> {
  // Shut down first: the flush below then waits for that one shutdown, not a flush and a shutdown.
  const exported = pipelineOf(logger)?.shutdown();
  await new Promise<void>((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
  await exported;
}
