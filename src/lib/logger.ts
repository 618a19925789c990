export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object a line on stdout (stderr for warn and error), from `level` up.
 * Callers pass fields, never request bodies or tokens.
 *
 * @example
 * createLogger('info').info('listening', { port: 8787 });
 */
export function createLogger(level: LogLevel): Logger {
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (RANK[name] < RANK[level]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: name, message, ...fields });
      if (RANK[name] >= RANK.warn) console.error(line);
      else console.log(line);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
