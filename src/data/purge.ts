import { asc, getTableName, sql } from 'drizzle-orm';
import { newEventId } from '../cart/ids.js';
import { expired } from '../cart/rules.js';
import { NO_TAX, type TaxSetting, taxSettingOf } from '../cart/tax.js';
import { cartDocumentColumns, documentOf } from './cart-document.js';
import { cartDocumentFrom, cartJson } from './cart-json.js';
import { shownBody } from './cart-view.js';
import { compile, runBatch, slot } from './compiled.js';
import type { Db } from './db.js';
import { eventInsert, eventStore } from './events.js';
import { purgeKeys } from './idempotency.js';
import { cartDiscounts, cartItems, carts } from './schema.js';
import { cartColumn, qualified, sqlTerms } from './sql-rules.js';

export interface PurgeResult {
  carts: number;
  idempotencyKeys: number;
  /** Delivered events past their retention. */
  events: number;
}

/** What the purge needs to know of events (API.md §6). */
export interface PurgeEvents {
  /** The CloudEvents `source` of the `cart.expired` events it writes. */
  source: string;
  /** Days a delivered event is kept. */
  retentionDays: number;
  /** How the carts its events show are taxed (API.md §11); none when left out. */
  tax?: TaxSetting;
}

const DAY_MS = 86_400_000;

/** The purge's event settings from the configuration. */
export const purgeEventsOf = (config: {
  EVENT_SOURCE: string;
  EVENT_RETENTION_DAYS: number;
  TAX: TaxSetting['mode'];
  PRICES_INCLUDE_TAX: boolean;
}): PurgeEvents => ({
  source: config.EVENT_SOURCE,
  retentionDays: config.EVENT_RETENTION_DAYS,
  tax: taxSettingOf(config),
});

/**
 * `cart.expired` for the cart `cartId` while it is expired, open and holds
 * lines (API.md §6): the cart as it was, written in the step that deletes it.
 * A cart holding discount codes, an address or a delivery is shown as `data`
 * (worked out from the document read at `version`; no event if the cart
 * has moved since).
 */
const expiredEvent = compile(
  sql`${eventInsert('cart.expired', sql`coalesce(${slot('data')}, ${cartJson})`)}
    from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} and ${cartColumn(carts.status)} = 'open'
      and (${slot('version')} is null or ${cartColumn(carts.version)} = ${slot('version')})
      and ${sql.identifier('ls')}.${sql.identifier('n')} > 0
      and ${expired(sqlTerms, cartColumn(carts.expiresAt), sql`${slot('now')}`)}`,
);

// Written out with table names: drizzle leaves columns bare in a select's fields.
/** The cart row is shown with what JavaScript works out (cart-view.ts shownBody) without tax: it holds codes, an address or a delivery. */
const workedOut = sql<boolean>`(exists (select 1 from ${cartDiscounts}
  where ${qualified(getTableName(cartDiscounts), cartDiscounts.cartId)} = ${cartColumn(carts.id)})
  or ${cartColumn(carts.shippingAddress)} is not null or ${cartColumn(carts.deliveryOptionId)} is not null)`.mapWith(
  Boolean,
);
const readDocument = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} limit 1`,
);

/** The carts `ids` as a read at `now` shows them (cart-view.ts shownBody), by id. */
async function shownData(db: Db, ids: string[], now: number, tax: TaxSetting) {
  const shown = new Map<string, { data: string; version: number }>();
  if (ids.length === 0) return shown;
  const rows = await runBatch(
    db,
    ids.map((cartId) => readDocument.inBatch(db, { cartId, now, reserving: 0 })),
  );
  ids.forEach((cartId, index) => {
    const document = documentOf(rows[index]?.[0]);
    // An expired cart holds no stock (README, Stock): no warnings.
    if (document !== undefined)
      shown.set(cartId, { data: shownBody(document, now, { tax, stock: false }), version: document.version });
  });
  return shown;
}

/**
 * Deletes expired carts with their lines, and expired idempotency records, in
 * batches of `batchSize` so no statement holds the write lock for long. Stops
 * after `maxBatches` rounds; the next run carries on.
 */
export async function purgeExpired(
  db: Db,
  now: number,
  batchSize = 100,
  maxBatches = 100,
  purge: PurgeEvents = { source: '/edgecart', retentionDays: 7 },
): Promise<PurgeResult> {
  const result: PurgeResult = { carts: 0, idempotencyKeys: 0, events: 0 };
  const tax = purge.tax ?? NO_TAX;
  const isExpired = expired(sqlTerms, cartColumn(carts.expiresAt), sqlTerms.num(now));
  for (let round = 0; round < maxBatches; round++) {
    const due = await db
      .select({ id: carts.id, workedOut })
      .from(carts)
      .where(isExpired)
      .orderBy(asc(carts.expiresAt))
      .limit(batchSize);
    if (due.length === 0) break;
    const shown = await shownData(
      db,
      // With tax, every cart shows a tax status: each is worked out.
      due.filter((cart) => cart.workedOut || tax.mode !== 'none').map((cart) => cart.id),
      now,
      tax,
    );
    const ids = JSON.stringify(due.map((cart) => cart.id));
    // Each statement checks expiry again: a cart changed since the read above is kept, and gets no event.
    const doomed = sql`select ${carts.id} from ${carts} where ${carts.id} in (select value from json_each(${ids})) and ${isExpired}`;
    const results = await runBatch(db, [
      ...due.map((cart) =>
        expiredEvent.inBatch(db, {
          eventId: newEventId(),
          source: purge.source,
          now,
          cartId: cart.id,
          data: shown.get(cart.id)?.data ?? null,
          version: shown.get(cart.id)?.version ?? null,
        }),
      ),
      db.delete(cartItems).where(sql`${cartItems.cartId} in (${doomed})`),
      // Not left to ON DELETE CASCADE: a remote libSQL connection may not keep foreign_keys on.
      db.delete(cartDiscounts).where(sql`${cartDiscounts.cartId} in (${doomed})`),
      db.delete(carts).where(sql`${carts.id} in (${doomed})`).returning({ id: carts.id }),
    ]);
    result.carts += (results.at(-1) as unknown[]).length;
    if (due.length < batchSize) break;
  }
  const events = eventStore(db);
  for (let round = 0; round < maxBatches; round++) {
    const deleted = await events.purgeDelivered(now - purge.retentionDays * DAY_MS, batchSize);
    result.events += deleted;
    if (deleted < batchSize) break;
  }
  for (let round = 0; round < maxBatches; round++) {
    const deleted = await purgeKeys(db, now, batchSize);
    result.idempotencyKeys += deleted;
    if (deleted < batchSize) break;
  }
  return result;
}
