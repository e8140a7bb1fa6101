import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger, type LoggerOptions } from './create-logger';

/** A real in-memory stream, the raw lines written to it and those lines parsed. Not exported by the package. */
export function memoryStream() {
  const raw: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      raw.push(String(chunk));
      callback();
    },
  });
  return {
    stream,
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A logger writing into memory, and the JSON lines it wrote, parsed. Not exported by the package. */
export function captureLogger(options: LoggerOptions = {}) {
  const { stream, raw, lines } = memoryStream();
  const logger = createLogger({ env: {}, ...options, destination: stream });
  return { logger, raw, lines };
}

export type Captured = ReturnType<typeof captureLogger> & { logger: Logger };

/** The keys written more than once on a raw JSON line (parsers keep only one of them). */
export function repeatedKeys(line: string): string[] {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  return Object.keys(parsed).filter((key) => line.split(`${JSON.stringify(key)}:`).length - 1 !== 1);
}
