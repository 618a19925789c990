import type { Hono } from 'hono';
import { type ClientRequestOptions, hc } from 'hono/client';
import type { MergeSchemaPath } from 'hono/types';
import type { V1Routes } from './surfaces/v1/index.js';

type SchemaOf<T> = T extends Hono<infer _E, infer S, infer _B> ? S : never;

/** The /v1 routes' types as they are mounted, for clients built with Hono's `hc`. */
export type CartApi = Hono<object, MergeSchemaPath<SchemaOf<V1Routes>, '/v1'>, '/'>;

export type CartClient = ReturnType<typeof hc<CartApi>>;

const bookmarks = new WeakMap<object, () => string | undefined>();

/**
 * A typed client for the /v1 cart API: paths, bodies and replies are checked
 * by the compiler against the same schemas the service validates with. It
 * reads its own writes from any location (API.md §9): it remembers the
 * latest `X-Bookmark` it has been answered with and sends it on every call,
 * on Workers and on Node alike. `bookmarkOf(client)` tells it (to store
 * beside the cart id), and `options.bookmark` starts a client from one.
 *
 * `options.token` provides a signed-in customer's token.
 *
 * @example
 * const api = createCartClient('https://cart.example.com', { token: () => session.accessToken });
 * const res = await api.v1.carts.$post({ header: {}, json: { currency: 'EUR' } });
 * if (res.status === 201) console.log((await res.json()).id, bookmarkOf(api));
 */
export function createCartClient(
  baseUrl: string,
  options: ClientRequestOptions & {
    bookmark?: string | undefined;
    /**
     * The signed-in customer's token (API.md §8), asked for on every call so
     * a refreshed token is used at once; undefined sends none.
     */
    token?: (() => string | undefined | Promise<string | undefined>) | undefined;
  } = {},
) {
  const { bookmark: start, token, ...rest } = options;
  let latest = start;
  const send = rest.fetch ?? fetch;
  const tracking: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (latest !== undefined && !headers.has('x-bookmark')) headers.set('x-bookmark', latest);
    const bearer = token === undefined || headers.has('authorization') ? undefined : await token();
    if (bearer !== undefined) headers.set('authorization', `Bearer ${bearer}`);
    const res = await send(input, { ...init, headers });
    const answered = res.headers.get('x-bookmark');
    // Bookmarks sort in commit order: keep the latest, whatever order answers arrive in.
    if (answered !== null && (latest === undefined || answered > latest)) latest = answered;
    return res;
  };
  const client = hc<CartApi>(baseUrl, { ...rest, fetch: tracking });
  bookmarks.set(client, () => latest);
  return client;
}

/** The latest bookmark a client made with createCartClient has been answered with. */
export const bookmarkOf = (client: CartClient) => bookmarks.get(client)?.();
