import { and, eq, sql } from 'drizzle-orm';
import type { Facts } from '../cart/algebra.js';
import type { Caller } from '../cart/caller.js';
import type { LineChange, NewLine } from '../cart/changes.js';
import { DEFAULT_CART_ID } from '../cart/ids.js';
import { values } from '../cart/model.js';
import type { Check, DeleteRefusal, RefusalOf } from '../cart/refusals.js';
import { changeChecks, deleteChecks, expiryAfter } from '../cart/rules.js';
import { changeStatements } from './cart-changes.js';
import { cartReadBack, documentOf, readCustomerCart, readLive, stateOf, visibleReadBack } from './cart-document.js';
import type { CartDocument } from './cart-json.js';
import { compile, type Row, slot } from './compiled.js';
import type { Db } from './db.js';
import {
  bumpWhere,
  byShape,
  type ChangeContext,
  type ChangeOutcome,
  callerValues,
  changeValues,
  type Refused,
  refusedOutcome,
  reservedUntil,
  reservingSlot,
  runGuarded,
  stampedBy,
} from './guarded.js';
import { type RecentCarts, recentCarts } from './recent-carts.js';
import { cartDiscounts, cartItems, carts } from './schema.js';
import { catalogName, catalogPrice, live, shortStock, sqlFacts, sqlTerms } from './sql-rules.js';
import { beyond, seqOf, type TimePosition, timeOrder, timePage } from './time-order.js';

/** What the catalog held for an add's product, in the cart's currency, read in the add's own step. */
const catalogRead = compile(
  sql`select ${catalogName(slot('productId'))} is not null, ${catalogPrice(slot('productId'))}
    from ${carts} where ${carts.id} = ${slot('cartId')}`,
);

/** A line of a cart with the cart's currency: the classic surface's item. */
const lineRead = compile(
  sql`select ${cartItems.id} as id, ${cartItems.name} as name, ${cartItems.unitPrice} as unit_price,
    ${cartItems.quantity} as quantity, ${carts.currency} as currency
    from ${cartItems} join ${carts} on ${carts.id} = ${cartItems.cartId}
    where ${cartItems.id} = ${slot('lineId')} and ${cartItems.cartId} = ${slot('cartId')} limit 1`,
);

/** The statements after a delete's guarded bump: the lines, the codes and the cart go, then the read-back. */
const removeCart = [
  compile(sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')} and ${stampedBy()}`),
  // Not left to ON DELETE CASCADE: a remote libSQL connection may not keep foreign_keys on.
  compile(sql`delete from ${cartDiscounts} where ${cartDiscounts.cartId} = ${slot('cartId')} and ${stampedBy()}`),
  compile(sql`delete from ${carts} where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} = ${slot('op')}`),
  visibleReadBack,
];

/**
 * A new cart's lines that do not fit the stock other carts leave (INVENTORY=reserve, README, Stock): what they
 * are, then the cart (and, were foreign keys off, its lines) undone, in the step that made it.
 */
const unreserved = [
  compile(
    sql`select (select json_group_array(json_array(${sql.identifier('g')}.${sql.identifier('product_id')},
        max(0, ${sql.identifier('g')}.${sql.identifier('room')}))) from ${shortStock('add')} as ${sql.identifier('g')})
      from ${carts} where ${carts.id} = ${slot('cartId')}`,
  ),
  compile(
    sql`delete from ${carts} where ${carts.id} = ${slot('cartId')} and exists (select 1 from ${shortStock('add')})`,
  ),
  compile(
    sql`delete from ${cartItems} where ${cartItems.cartId} = ${slot('cartId')}
      and not exists (select 1 from ${carts} where ${carts.id} = ${slot('cartId')})`,
  ),
];

/** A cart not made (INVENTORY=reserve): each product its lines would hold more of than other carts leave, and what they may hold. */
export interface ShortCreate {
  short: Array<{ productId: string; available: number }>;
}

/** What a store may remember of its database across requests (a D1 session is a new db each request). */
export interface DatabaseMemo {
  defaultCurrency?: string;
  /** The carts with codes read last (recent-carts.ts): a checkout's first guess at its discounts. */
  recent?: RecentCarts;
}

/**
 * The one module that writes carts and their lines, for both surfaces. Every
 * change is one batch (one round trip on D1): its first statement bumps the
 * version and stamps the operation id only where every rule of rules.ts holds
 * (rendered as SQL), the line statement runs only where the stamp is, and the
 * cart is read back in the same batch as the JSON it answers with, so a
 * refusal is explained from the exact state the guard saw.
 *
 * @example
 * const store = cartStore(db);
 * const outcome = await store.change({ cartId, now, ttlDays: 30, when: {} }, { kind: 'remove', lineId: 3 });
 */
export function cartStore(db: Db, memo: DatabaseMemo = {}) {
  memo.recent ??= recentCarts();
  const { recent } = memo;
  return {
    /**
     * The default cart's currency. Nothing changes it after the migration that
     * sets it, so it is read once per database.
     */
    async defaultCurrency(): Promise<string> {
      if (memo.defaultCurrency !== undefined) return memo.defaultCurrency;
      const row = await db.select({ currency: carts.currency }).from(carts).where(eq(carts.id, DEFAULT_CART_ID)).get();
      if (!row) throw new Error('the default cart is missing: have the migrations been applied?');
      memo.defaultCurrency = row.currency;
      return row.currency;
    },

    /**
     * A live cart as its JSON document, in one statement; undefined when
     * there is none. `reserving`: INVENTORY=reserve (its stock warnings count other carts' reservations).
     */
    async read(cartId: string, now: number, caller: Caller, reserving: boolean): Promise<CartDocument | undefined> {
      const rows = await readLive.all(db, { cartId, now, reserving: reserving ? 1 : 0, ...callerValues(caller) });
      const document = documentOf(rows[0]);
      recent.note(cartId, document);
      return document;
    },

    /** The customer's open cart (the most recently changed), as its document; undefined when they have none. */
    async customerCart(customerId: string, now: number, reserving: boolean): Promise<CartDocument | undefined> {
      const rows = await readCustomerCart.all(db, { customerId, now, reserving: reserving ? 1 : 0 });
      return documentOf(rows[0]);
    },

    /** A live cart with its lines as the rules see them (the classic surface's list, a `{}` PATCH). */
    async state(cartId: string, now: number, caller: Caller, reserving: boolean) {
      const document = await this.read(cartId, now, caller, reserving);
      return document && { document, ...stateOf(document, caller) };
    },

    /** A line of a cart with the cart's currency, whether or not the cart is live (the default cart always is). */
    async line(cartId: string, lineId: number) {
      const [row] = await lineRead.all(db, { cartId, lineId });
      return (
        row && {
          id: row[0] as number,
          name: row[1] as string,
          unitPrice: row[2] as number,
          quantity: row[3] as number,
          currency: row[4] as string,
        }
      );
    },

    /**
     * Creates a cart with its first lines (already merged and checked:
     * model.linesFromItems) in one batch. With INVENTORY=reserve
     * (`reserveMinutes`, README, Stock) the lines reserve their units in the
     * same step, or the cart is not made: `short` names each tracked product
     * it would hold more of than other carts leave, and what it may hold.
     */
    async create<R extends number | null = null>(
      cart: { id: string; currency: string; metadata: string; customerId: string | null },
      lines: NewLine[],
      now: number,
      ttlDays: number,
      reserveMinutes: R = null as R,
    ): Promise<R extends null ? CartDocument : CartDocument | ShortCreate> {
      const until = reservedUntil(now, reserveMinutes);
      const insertCart = db.insert(carts).values({
        ...cart,
        version: 1,
        createdAt: now,
        updatedAt: now,
        expiresAt: expiryAfter(now, ttlDays),
        reservedUntil: until,
      });
      const rows = lines.map((line) => ({
        ...line,
        priceSource: line.priceSource ?? 'custom',
        cartId: cart.id,
        createdAt: now,
        updatedAt: now,
        reservedUntil: until,
      }));
      // D1 binds at most 100 parameters a statement: 10 columns a row make 10 rows a statement.
      const inserts = [];
      for (let i = 0; i < rows.length; i += 10) inserts.push(db.insert(cartItems).values(rows.slice(i, i + 10)));
      const given = { cartId: cart.id, now, reserving: reservingSlot(reserveMinutes) };
      const reserving = until === null ? [] : unreserved.map((statement) => statement.inBatch(db, given));
      const results = await db.batch([insertCart, ...inserts, ...reserving, cartReadBack.inBatch(db, given)]);
      const created = documentOf((results.at(-1) as Row[])[0]);
      type Made = R extends null ? CartDocument : CartDocument | ShortCreate;
      if (created !== undefined) return created as Made;
      const short = (results[1 + inserts.length] as Row[] | undefined)?.[0]?.[0];
      if (typeof short !== 'string') throw new Error('a cart just created could not be read back');
      const products = JSON.parse(short) as Array<[string, number]>;
      return { short: products.map(([productId, available]) => ({ productId, available })) } as Made;
    },

    /** Makes one change to a cart's lines, atomically, or says which rule refused it. */
    async change<C extends LineChange>(m: ChangeContext, change: C): Promise<ChangeOutcome<RefusalOf<C>>> {
      const shape = changeStatements(db, change, m.when, m.reserveMinutes !== null);
      const given = { ...shape.values, ...changeValues(m) };
      const fromCatalog = shape.change.kind === 'add' && shape.change.line.priceSource === 'catalog';
      // An add priced from the catalog also reads what the catalog held, and one that reserves the stock
      // (INVENTORY=reserve) what the product's stock held, to explain a refusal.
      const reads = [fromCatalog ? catalogRead : undefined, shape.stockRead];
      const results = await runGuarded(db, [...shape.statements, ...reads.filter((read) => read !== undefined)], given);
      const [bumped = [], rows = []] = results;
      const documents = results[shape.statements.length - 1] ?? [];
      const catalogRows = fromCatalog ? results[shape.statements.length] : undefined;
      const stockRow = shape.stockRead === undefined ? undefined : results.at(-1)?.[0];
      const document = documentOf(documents[0]);
      recent.note(m.cartId, document);
      // The bump returns the new version and whether a line with the added key was there before.
      const bumpedRow = bumped[0];
      if (bumpedRow === undefined || document === undefined) {
        // The checks of a change of kind C refuse only with RefusalOf<C> (rules.ts types each group).
        const checks = (f: Facts<bigint | null, boolean | null>, judged: LineChange) =>
          changeChecks(values, f, judged, m.when, BigInt(m.now)) as Check<boolean | null, RefusalOf<C>>[];
        const stock = stockRow && {
          tracked: Boolean(stockRow[0]),
          room: Number(stockRow[1] ?? 0),
          lapsedShort: Boolean(stockRow[2]),
        };
        const seen = catalogRows?.[0];
        if (seen === undefined || change.kind !== 'add')
          return refusedOutcome(document, m.caller, change, checks, { stock });
        // The rules judge the add at the price and name the catalog gave in that step.
        const priced = { ...change, line: { ...change.line, unitPrice: Number(seen[1] ?? 0) } };
        const catalog = { available: Boolean(seen[0]), priced: seen[1] !== null && seen[1] !== undefined };
        return refusedOutcome(document, m.caller, priced as C, checks, { catalog, stock });
      }
      const lineId = rows[0]?.[0] as number | undefined;
      return { applied: true, cart: document, lineId, merged: Boolean(bumpedRow[1]) };
    },

    /** Deletes a cart and its lines, atomically, or says which rule refused it. */
    async remove(m: Omit<ChangeContext, 'ttlDays'>): Promise<{ applied: true } | Refused<DeleteRefusal>> {
      const removal = byShape('delete', m.when, (w) => [
        bumpWhere(deleteChecks(sqlTerms, sqlFacts({ kind: 'clear' }), w, sql`${slot('now')}`).map((c) => c.holds)),
        ...removeCart,
      ]);
      // The cart goes in the same step: the expiry its bump renews is never seen.
      const given = { ...removal.values, ...changeValues({ ...m, ttlDays: 0 }) };
      const [claimed, , , , documents] = await runGuarded(db, removal.statements, given);
      if ((claimed?.length ?? 0) > 0) {
        recent.forget(m.cartId);
        return { applied: true };
      }
      const document = documentOf(documents?.[0]);
      return refusedOutcome(document, m.caller, { kind: 'clear' }, (f) =>
        deleteChecks(values, f, m.when, BigInt(m.now)),
      );
    },

    /** A page of live carts in creation order, for the admin listing; stable while carts are created. */
    async list(now: number, limit: number, after?: TimePosition) {
      // Correlated sub-queries: only the page's carts are summed, each through the merge-key index.
      const ofCart = sql`from ${cartItems} where ${cartItems.cartId} = ${carts.id}`;
      const rows = await db
        .select({
          cart: carts,
          seq: seqOf(carts),
          lineCount: sql<number>`(select count(*) ${ofCart})`,
          itemCount: sql<number>`(select cast(total(${cartItems.quantity}) as integer) ${ofCart})`,
          subtotal: sql<number>`(select cast(total(${cartItems.unitPrice} * ${cartItems.quantity}) as integer) ${ofCart})`,
        })
        .from(carts)
        .where(
          and(live(sqlTerms.num(now)), after === undefined ? undefined : beyond(carts, carts.createdAt, after, 'asc')),
        )
        .orderBy(...timeOrder(carts, carts.createdAt, 'asc'))
        .limit(limit + 1);
      return timePage(rows, limit, (row) => ({ createdAt: row.cart.createdAt, seq: row.seq }));
    },
  };
}

export type CartStore = ReturnType<typeof cartStore>;
