import type { LogSink } from '../../platform/logger.js';

/** How much a stream may hold before it is written at once. */
const HIGH_WATER = 64 * 1024;

/**
 * Log lines gathered per turn of the event loop and written in one call:
 * under load a line per request written on its own (a system call each when
 * standard output is a file) cost more than the rest of the logging.
 * `flush()` writes what is pending; it runs on exit too.
 */
export function bufferedSink(): LogSink & { flush(): void } {
  let out = '';
  let err = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (out !== '') {
      process.stdout.write(out);
      out = '';
    }
    if (err !== '') {
      process.stderr.write(err);
      err = '';
    }
  };
  const schedule = (size: number) => {
    if (size >= HIGH_WATER) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  process.on('exit', flush);
  return {
    out: (line) => {
      out += `${line}\n`;
      schedule(out.length);
    },
    err: (line) => {
      err += `${line}\n`;
      schedule(err.length);
    },
    flush,
  };
}
