import type { Context, TypedResponse } from 'hono';
import type { AppEnv } from '../../app-env.js';
import type { TimePosition } from '../../data/time-order.js';
import { problem } from '../../platform/problem.js';
import type { OrderView } from './orders/orders.schemas.js';

/**
 * Paging of the /v1 listings (API.md §2): cursors tagged by listing, the
 * `Link` to the next page, and the pages that are assembled here.
 */

/**
 * A page cursor: base64 JSON of a tag and a position, the tag naming the
 * listing, so a cursor of one listing is no cursor of another.
 */
function taggedCursor<T>(tag: string, parts: (at: T) => unknown[], from: (parts: unknown[]) => T | undefined) {
  return {
    encode: (at: T) => btoa(JSON.stringify([tag, ...parts(at)])).replaceAll('=', ''),
    decode(cursor: string): T | undefined {
      try {
        const value: unknown = JSON.parse(atob(cursor));
        if (Array.isArray(value) && value[0] === tag) return from(value.slice(1));
      } catch {
        // Falls through to undefined: any unreadable cursor is the same 422.
      }
      return undefined;
    },
  };
}

/** A cursor over a key (a product id, a discount code). */
export const keyCursor = (tag: string) =>
  taggedCursor<string>(
    tag,
    (key) => [key],
    ([key, ...rest]) => (rest.length === 0 && typeof key === 'string' ? key : undefined),
  );

/** A cursor over (created_at, rowid), as the time-ordered listings page (src/data/time-order.ts). */
export const timeCursor = (tag: string) =>
  taggedCursor<TimePosition>(
    tag,
    (at) => [at.createdAt, at.seq],
    ([createdAt, seq, ...rest]) =>
      rest.length === 0 && Number.isSafeInteger(createdAt) && Number.isSafeInteger(seq)
        ? { createdAt: createdAt as number, seq: seq as number }
        : undefined,
  );

/**
 * A page of a listing by key, after the cursor's key: 422 for a cursor the
 * service did not give out, else the page with `next_cursor` and `Link`.
 */
export async function keyedPage<R extends { [k in K]: string }, K extends string, V>(
  c: Context,
  query: { limit: number; cursor?: string | undefined },
  cursors: ReturnType<typeof keyCursor>,
  key: K,
  load: (limit: number, after: string | undefined) => Promise<{ rows: R[]; more: boolean }>,
  view: (row: R) => V,
) {
  const { limit, cursor } = query;
  const after = cursor === undefined ? undefined : cursors.decode(cursor);
  if (cursor !== undefined && after === undefined) return { refused: unknownCursor(c) } as const;
  const page = await load(limit, after);
  const last = page.rows.at(-1);
  const next = page.more && last ? cursors.encode(last[key]) : null;
  if (next !== null) linkNext(c, limit, next);
  return { items: page.rows.map(view), next } as const;
}

/** Sets `Link: <…>; rel="next"` for the page after this one: the same query (a `status` filter too), the next cursor. */
export function linkNext(c: Context, limit: number, next: string) {
  const url = new URL(c.req.url);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('cursor', next);
  c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
}

export const unknownCursor = (c: Context) =>
  problem(c, 422, 'validation-failed', 'The cursor is not one this service gave out.', [
    { path: 'cursor', message: 'Unknown cursor' },
  ]);

const orderCursors = timeCursor('o');

/** A page of orders (a customer's, or all), newest first. */
export async function orderPage(
  c: Context<AppEnv>,
  query: { limit: number; cursor?: string | undefined },
  customerId?: string,
) {
  const { limit, cursor } = query;
  const after = cursor === undefined ? undefined : orderCursors.decode(cursor);
  if (cursor !== undefined && after === undefined) return unknownCursor(c);
  const page = await c.get('store').orders.list(limit, after, customerId);
  const next = page.next === undefined ? null : orderCursors.encode(page.next);
  if (next !== null) linkNext(c, limit, next);
  // Each order is stored as JSON text: the page is assembled around it without parsing it.
  const body = `{"orders":[${page.rows.map((row) => row.body).join(',')}],"next_cursor":${JSON.stringify(next)}}`;
  return c.body(body, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<{ orders: OrderView[]; next_cursor: string | null }, 200, 'json'>;
}
