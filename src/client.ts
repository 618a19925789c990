import { type ClientRequestOptions, hc } from 'hono/client';
import type { cartRoutes } from './routes/carts/carts.index.js';

/** The /v1 cart routes' types, for clients built with Hono's `hc`. */
export type CartApi = typeof cartRoutes;

/**
 * A typed client for the /v1 cart API: paths, bodies and replies are checked
 * by the compiler against the same schemas the service validates with.
 *
 * @example
 * const api = createCartClient('https://cart.example.com');
 * const res = await api.v1.carts.$post({ header: {}, json: { currency: 'EUR' } });
 * if (res.status === 201) console.log((await res.json()).id);
 */
export function createCartClient(baseUrl: string, options?: ClientRequestOptions) {
  return hc<CartApi>(baseUrl, options);
}
