import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.js';
import type { EventRow } from '../../../data/events.js';
import { problem } from '../../../platform/problem.js';
import { linkNext, timeCursor, unknownCursor } from '../paging.js';
import type * as r from './events.routes.js';

const eventCursors = timeCursor('e');

const iso = (ms: number) => new Date(ms).toISOString();

/** An event as the admin listing shows it: the CloudEvents envelope and its delivery state. */
const eventView = (row: EventRow) => ({
  ...(JSON.parse(row.body) as Record<string, unknown>),
  status: row.status,
  attempts: row.attempts,
  last_error: row.lastError,
  next_attempt_at: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
});

export const listEvents: RouteHandler<typeof r.listEvents, AppEnv> = async (c) => {
  const { limit, cursor, status } = c.req.valid('query');
  const after = cursor === undefined ? undefined : eventCursors.decode(cursor);
  if (cursor !== undefined && after === undefined) return unknownCursor(c);
  const page = await c.get('store').events.list(limit, status, after);
  const next = page.next === undefined ? null : eventCursors.encode(page.next);
  if (next !== null) linkNext(c, limit, next);
  // biome-ignore lint/suspicious/noExplicitAny: the envelope is stored JSON, documented by eventSchema.
  return c.json({ events: page.rows.map((row) => eventView(row.event)) as any[], next_cursor: next }, 200);
};

export const redeliverEvent: RouteHandler<typeof r.redeliverEvent, AppEnv> = async (c) => {
  const id = c.req.param('eventId');
  const row = await c.get('store').events.redeliver(id, c.get('now')());
  if (row === undefined) return problem(c, 404, 'not-found', 'No event with that id.');
  c.get('announce')(c, [id]);
  // biome-ignore lint/suspicious/noExplicitAny: the envelope is stored JSON, documented by eventSchema.
  return c.json(eventView(row) as any, 200);
};
