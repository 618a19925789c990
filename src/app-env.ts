import type { AppConfig } from './config.js';
import type { Db } from './db/store.js';

/** What every handler finds on the context, whatever the runtime. */
export type AppEnv = {
  Variables: {
    db: Db;
    config: AppConfig;
    /** The current time in epoch ms; injectable so tests can move the clock. */
    now: () => number;
    requestId: string;
  };
};
