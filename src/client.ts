import type { Hono } from 'hono';
import { type ClientRequestOptions, hc } from 'hono/client';
import type { MergeSchemaPath } from 'hono/types';
import type { V1Routes } from './surfaces/v1/index.js';

type SchemaOf<T> = T extends Hono<infer _E, infer S, infer _B> ? S : never;

/** The /v1 routes' types as they are mounted, for clients built with Hono's `hc`. */
export type CartApi = Hono<object, MergeSchemaPath<SchemaOf<V1Routes>, '/v1'>, '/'>;

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
