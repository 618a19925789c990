import type { Context } from 'hono';
import type { Caller } from './cart/caller.js';
import type { AppConfig } from './config.js';
import type { Store } from './data/store.js';

/**
 * What every handler finds on the context, whatever the runtime. Read them
 * with `c.get(…)`: Hono's `c.var` builds a new object on every access.
 */
export type AppEnv = {
  Variables: {
    store: Store;
    config: AppConfig;
    /** The current time in epoch ms; injectable so tests can move the clock. */
    now: () => number;
    requestId: string;
    /** Who the request speaks for (API.md §8); set on /v1 before any handler runs. */
    caller: Caller;
    /** The client's address as the runtime knows it (socket, trusted proxy, or Cloudflare's header). */
    clientAddress: (c: Context<AppEnv>) => string;
    /**
     * Tells the runtime's delivery that events were committed (API.md §6):
     * Node wakes its dispatcher, Workers send them to the queue. Delivery
     * never depends on it: what it misses, the sweep finds.
     */
    announce: (c: Context<AppEnv>, eventIds: string[]) => void;
  };
};
