import { and, eq, lt, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { slot } from './compiled.js';
import type { Db } from './db.js';
import { events } from './schema.js';
import { beyond, seqOf, type TimePosition, timeOrder, timePage } from './time-order.js';

export type EventStatus = 'pending' | 'delivered' | 'failed';

/** The events the service writes (README, Events and webhooks), each in the same step as the change it reports. */
export const EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.cancelled',
  'cart.expired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event claimed for one delivery attempt. */
export interface ClaimedEvent {
  id: string;
  body: string;
  /** Attempts before this one. */
  attempts: number;
  /** The claim's lease: an outcome is recorded only while it still holds the event. */
  leaseUntil: number | null;
}

export type EventRow = typeof events.$inferSelect;

/** The event, while the claim that made this attempt still holds it. */
const held = (event: ClaimedEvent) =>
  and(eq(events.id, event.id), event.leaseUntil === null ? sql`0` : eq(events.leaseUntil, event.leaseUntil));

/**
 * The head of an `insert … select` that writes one event to the outbox
 * (API.md §6), stated once: a CloudEvents 1.0 envelope of `type` around
 * `data` (a JSON term of the rows the statement selects), with the slots
 * `eventId`, `source` and `now`, due at once. The caller adds `from … where …`.
 *
 * @example
 * compile(sql`${eventInsert('order.placed', orders.body)} from ${orders} where ${orders.id} = ${slot('orderId')}`);
 */
export const eventInsert = (type: EventType, data: SQL | SQLWrapper) =>
  sql`insert into ${events} (id, type, body, status, attempts, next_attempt_at, created_at)
    select ${slot('eventId')}, ${type}, json_object('specversion', '1.0', 'id', ${slot('eventId')},
      'source', ${slot('source')}, 'type', ${type},
      'time', strftime('%Y-%m-%dT%H:%M:%fZ', ${slot('now')} / 1000.0, 'unixepoch'),
      'datacontenttype', 'application/json', 'data', json(${data})),
    'pending', 0, ${slot('now')}, ${slot('now')}`;

/**
 * The outbox (API.md §6). A dispatcher claims due events with a lease in one
 * statement, so several processes on one store never send the same attempt
 * at once; a claim whose process died is taken again when its lease ends.
 *
 * @example
 * const due = await eventStore(db).claim(Date.now(), 30_000, 10);
 */
export function eventStore(db: Db) {
  return {
    /** Claims up to `limit` due events (of `ids`, when given) until `now + leaseMs`. */
    async claim(now: number, leaseMs: number, limit: number, ids?: string[]): Promise<ClaimedEvent[]> {
      const only =
        ids === undefined ? sql`` : sql` and ${events.id} in (select value from json_each(${JSON.stringify(ids)}))`;
      const due = sql`select ${events.id} from ${events}
        where ${events.status} = 'pending' and ${events.nextAttemptAt} <= ${now}
          and (${events.leaseUntil} is null or ${events.leaseUntil} <= ${now})${only}
        order by ${events.nextAttemptAt} limit ${limit}`;
      return db
        .update(events)
        .set({ leaseUntil: now + leaseMs })
        .where(sql`${events.id} in (${due})`)
        .returning({ id: events.id, body: events.body, attempts: events.attempts, leaseUntil: events.leaseUntil });
    },

    /** Records a delivered attempt, while this claim still holds the event (a lease that ran out lost it). */
    async delivered(event: ClaimedEvent, now: number) {
      await db
        .update(events)
        .set({
          status: 'delivered',
          attempts: sql`${events.attempts} + 1`,
          deliveredAt: now,
          leaseUntil: null,
          lastError: null,
        })
        .where(held(event));
    },

    /** Records a failed attempt: due again at `retryAt`, or `failed` once it was the last allowed. */
    async failed(event: ClaimedEvent, error: string, retryAt: number, maxAttempts: number) {
      const last = event.attempts + 1 >= maxAttempts;
      await db
        .update(events)
        .set({
          status: last ? 'failed' : 'pending',
          attempts: sql`${events.attempts} + 1`,
          nextAttemptAt: retryAt,
          leaseUntil: null,
          lastError: error,
        })
        .where(held(event));
    },

    /** Makes an event due now for a fresh round of attempts; undefined when there is none. */
    async redeliver(id: string, now: number): Promise<EventRow | undefined> {
      const [row] = await db
        .update(events)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null, deliveredAt: null })
        .where(eq(events.id, id))
        .returning();
      return row;
    },

    /** A page of events, newest first, of one status when given. */
    async list(limit: number, status?: EventStatus, after?: TimePosition) {
      const rows = await db
        .select({ event: events, seq: seqOf(events) })
        .from(events)
        .where(
          and(
            status === undefined ? undefined : eq(events.status, status),
            after === undefined ? undefined : beyond(events, events.createdAt, after, 'desc'),
          ),
        )
        .orderBy(...timeOrder(events, events.createdAt, 'desc'))
        .limit(limit + 1);
      return timePage(rows, limit, (row) => ({ createdAt: row.event.createdAt, seq: row.seq }));
    },

    /** Ids of pending events due by `now` and not leased: what the sweep hands to delivery again. */
    async dueIds(now: number, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: events.id })
        .from(events)
        .where(
          sql`${events.status} = 'pending' and ${events.nextAttemptAt} <= ${now}
            and (${events.leaseUntil} is null or ${events.leaseUntil} <= ${now})`,
        )
        .orderBy(events.nextAttemptAt)
        .limit(limit);
      return rows.map((row) => row.id);
    },

    /** Deletes events delivered before `before`, at most `limit`; how many. */
    async purgeDelivered(before: number, limit: number): Promise<number> {
      const old = db
        .select({ id: events.id })
        .from(events)
        .where(and(eq(events.status, 'delivered'), lt(events.deliveredAt, before)))
        .limit(limit);
      const gone = await db.delete(events).where(sql`${events.id} in ${old}`).returning({ id: events.id });
      return gone.length;
    },
  };
}

export type EventStore = ReturnType<typeof eventStore>;
