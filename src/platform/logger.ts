import { DrizzleQueryError } from 'drizzle-orm/errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
  /** Whether lines at `level` are written. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/** Where log lines go: standard output for debug and info, standard error from warn up. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

export const consoleSink: LogSink = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * One JSON object a line, from `level` up. Callers pass fields, never
 * request bodies, tokens or cart ids.
 *
 * @example
 * createLogger('info').info('listening', { port: 8787 });
 */
export function createLogger(level: LogLevel, sink: LogSink = consoleSink): Logger {
  const enabled = (name: Exclude<LogLevel, 'silent'>) => RANK[name] >= RANK[level];
  // A line per request at the default level: its time is formatted once per
  // millisecond and its fields written without an intermediate object.
  let lastMs = -1;
  let lastTime = '';
  const at = (name: Exclude<LogLevel, 'silent'>) => (message: string, fields?: object) => {
    if (!enabled(name)) return;
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastTime = new Date(ms).toISOString();
    }
    const rest = fields === undefined ? '{}' : JSON.stringify(fields);
    const line = `{"time":"${lastTime}","level":"${name}","message":${JSON.stringify(message)}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}`;
    if (RANK[name] >= RANK.warn) sink.err(line);
    else sink.out(line);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled };
}

/**
 * An error as it may be logged: its name, message and stack, but for a failed
 * query only the driver's own error, never drizzle's wrapper, whose message
 * holds the SQL text and the bound parameters (cart ids among them).
 */
export function loggableError(error: unknown): { error: string; stack?: string } {
  const cause = error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof Error)) return { error: String(cause) };
  const stack = cause.stack?.split('\n').slice(1).join('\n');
  return stack ? { error: `${cause.name}: ${cause.message}`, stack } : { error: `${cause.name}: ${cause.message}` };
}

/**
 * Logs an error nothing expected, with the request id, as `loggableError` allows.
 *
 * @example
 * app.onError((error, c) => { logUnexpected(logger, c.get('requestId'), error); return c.text('error', 500); });
 */
export function logUnexpected(logger: Logger, requestId: string, error: unknown) {
  logger.error('unhandled error', { requestId, ...loggableError(error) });
}
