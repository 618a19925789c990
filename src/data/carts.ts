import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Facts } from '../cart/algebra.js';
import { type Caller, sees } from '../cart/caller.js';
import { type LineChange, type LineUpdate, MERGE_KEY, type NewLine, type Preconditions } from '../cart/changes.js';
import { DEFAULT_CART_ID } from '../cart/ids.js';
import { canonicalMetadata, type Metadata } from '../cart/metadata.js';
import {
  type CartState,
  type CatalogRead,
  factsOf,
  firstFailing,
  holds,
  type LineRecord,
  values,
} from '../cart/model.js';
import { type Check, type DeleteRefusal, explain, type Refusal, type RefusalOf } from '../cart/refusals.js';
import { changeChecks, deleteChecks, expired, expiryAfter } from '../cart/rules.js';
import { memo } from '../lib/memo.js';
import { type CartDocument, cartDocumentColumns, cartDocumentFrom } from './cart-json.js';
import { type Compiled, compile, type Row, slot } from './compiled.js';
import type { Db } from './db.js';
import { cartDiscounts, cartItems, carts } from './schema.js';
import { cartColumn, catalogName, catalogPrice, sqlFacts, sqlTerms, visibleCart, visibleTo } from './sql-rules.js';
import { beyond, seqOf, type TimePosition, timeOrder, timePage } from './time-order.js';

/** What every change needs to know besides the change itself. */
export interface ChangeContext {
  cartId: string;
  now: number;
  ttlDays: number;
  when: Preconditions;
  /** Who asks: a cart bound to a customer exists only for them and the admin. */
  caller: Caller;
}

/** The statement values that say who asks (sql-rules.ts visibleCart). */
export const callerValues = (caller: Caller) => ({ caller: caller.customerId, admin: caller.admin ? 1 : 0 });

export type ChangeOutcome<R extends Refusal = Refusal> =
  | {
      applied: true;
      cart: CartDocument;
      /** The line added (new or merged into) by an add. */
      lineId: number | undefined;
      /** An add that grew an existing line. */
      merged: boolean;
    }
  | Refused<R>;

/** A change the rules refused: which rule, in words, and the cart it was refused on (none if there is none). */
export interface Refused<R extends Refusal = Refusal> {
  applied: false;
  refusal: R;
  message: string;
  cart: CartDocument | undefined;
}

/** A row of cartDocumentColumns: version, expires_at, body, codes, order. */
export const documentOf = (row: Row | undefined): CartDocument | undefined =>
  row && {
    version: row[0] as number,
    expiresAt: row[1] as number | null,
    body: row[2] as string,
    codes: row[3] as string,
    order: (row[4] ?? null) as string | null,
  };

/** A cart as the rules see it, from its document (the refusal path only: the JSON is parsed there). */
export function stateOf(document: CartDocument | undefined, caller: Caller): CartState {
  if (document === undefined) return { cart: undefined, lines: [] };
  const parsed = JSON.parse(document.body) as {
    status: 'open' | 'checked_out';
    customer_id: string | null;
    items: Array<{
      id: number;
      product_id: string | null;
      name: string;
      unit_price: number;
      quantity: number;
      metadata: Metadata;
      price_source: 'catalog' | 'custom';
    }>;
  };
  const lines: LineRecord[] = parsed.items.map((item) => ({
    id: item.id,
    productId: item.product_id,
    name: item.name,
    unitPrice: item.unit_price,
    quantity: item.quantity,
    metadata: canonicalMetadata(item.metadata),
    priceSource: item.price_source,
  }));
  // A cart bound to another customer does not exist for this caller.
  if (!sees(caller, parsed.customer_id)) return { cart: undefined, lines: [] };
  return { cart: { version: document.version, expiresAt: document.expiresAt, status: parsed.status }, lines };
}

/** Explains a refusal from the state read back in the step the guard refused it. */
function refusedOutcome<R extends Refusal>(
  document: CartDocument | undefined,
  caller: Caller,
  change: LineChange,
  checks: (facts: Facts<bigint | null, boolean | null>, change: LineChange) => Check<boolean | null, R>[],
  catalog?: CatalogRead,
): Refused<R> {
  const facts = factsOf({ ...stateOf(document, caller), catalog }, change);
  const refusal = firstFailing(checks(facts, change), holds);
  // The guard and the rules are one description: a refusal no rule explains is a bug.
  if (refusal === undefined) throw new Error('a change was refused that the cart rules allow');
  return { applied: false, refusal, message: explain(refusal, facts, change), cart: document };
}

/** A cart whose expiry is `expiresAt` is live at `now` (rules.ts `expired`, negated). */
export const liveAt = (expiresAt: SQL, now: SQL) => sqlTerms.not(expired(sqlTerms, expiresAt, now));
const live = (now: SQL) => liveAt(cartColumn(carts.expiresAt), now);

/**
 * A change's preconditions with each entity tag a named slot (`m0…`,
 * `n0…`): the statement text depends on the lists' lengths only (`key`);
 * the tags are bound (`values`).
 */
export function preconditionSlots(when: Preconditions) {
  const key: string[] = [];
  const values: Record<string, number> = {};
  const list = (name: string, versions: Preconditions['ifMatch']) => {
    key.push(
      versions === undefined || versions === 'any' ? `${name}:${versions ?? '-'}` : `${name}:${versions.length}`,
    );
    if (!Array.isArray(versions)) return versions;
    return versions.map((version, i) => {
      values[`${name}${i}`] = version;
      return slot<number>(`${name}${i}`);
    });
  };
  const symbolic: Preconditions = { ifMatch: list('m', when.ifMatch), ifNoneMatch: list('n', when.ifNoneMatch) };
  return { key: key.join('|'), when: symbolic, values };
}

/** The cart the slot `cartId` names carries the stamp `op` of this change's first statement. */
export const stampedBy = (op = 'op', cartId = 'cartId') =>
  sql`exists (select 1 from ${carts} where ${carts.id} = ${slot(cartId)} and ${carts.lastOp} = ${slot(op)})`;

/** A changed cart's new expiry (the slot `expiry`); the default cart, which has none, keeps none. */
export const renewedExpiry = sql`case when ${carts.expiresAt} is null then null else ${slot('expiry')} end`;

/**
 * What decides a change's SQL text (its kind, which fields it sets, how long
 * its If-Match lists are), the same change with each value replaced by a
 * named slot, and those values by name.
 */
function describe(change: LineChange, when: Preconditions) {
  const values: Record<string, unknown> = {};
  const key: string[] = [change.kind];
  const put = <T>(name: string, value: T): T => {
    values[name] = value;
    return slot<T>(name);
  };
  let symbolic: LineChange;
  switch (change.kind) {
    case 'add': {
      const { line } = change;
      const fromCatalog = line.priceSource === 'catalog' && line.productId !== null;
      key.push(line.productId === null ? 'classic' : fromCatalog ? 'catalog' : 'product');
      const productId = line.productId === null ? null : put('productId', line.productId);
      symbolic = {
        kind: 'add',
        line: {
          productId,
          // The catalog's name and price are read by the statements themselves (sql-rules.ts).
          name: fromCatalog ? (catalogName(slot('productId')) as unknown as string) : put('name', line.name),
          unitPrice: fromCatalog
            ? (catalogPrice(slot('productId')) as unknown as number)
            : put('unitPrice', line.unitPrice),
          quantity: put('quantity', line.quantity),
          metadata: put('metadata', line.metadata),
          priceSource: fromCatalog ? 'catalog' : 'custom',
        },
      };
      break;
    }
    case 'update': {
      const set: LineUpdate = {};
      for (const field of ['quantity', 'unitPrice', 'name', 'metadata'] as const) {
        const value = change.set[field];
        if (value === undefined) continue;
        key.push(field);
        (set as Record<string, unknown>)[field] = put(`set_${field}`, value);
      }
      symbolic = { kind: 'update', lineId: put('lineId', change.lineId), set };
      break;
    }
    case 'remove':
      symbolic = { kind: 'remove', lineId: put('lineId', change.lineId) };
      break;
    case 'clear':
      symbolic = change;
      break;
  }
  const slots = preconditionSlots(when);
  key.push(slots.key);
  return { key: key.join('|'), change: symbolic, when: slots.when, values: { ...values, ...slots.values } };
}

/** This change's own stamp on its cart (the slot `op`). */
const stamped = stampedBy();

/** The cart as a document, read whether or not it is live (the rules judge that). */
export const cartReadBack = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} limit 1`,
);
/**
 * The cart as a document, read back in a change's step, if it exists for
 * the caller: a cart bound to someone else is not even read, so refusing it
 * costs what refusing a cart that does not exist costs.
 */
export const visibleReadBack = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} and ${visibleCart} limit 1`,
);
/** A live cart as a document, if it exists for the caller (sql-rules.ts visibleCart). */
const readLive = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(sql`${slot('cartId')}`)}
    where ${cartColumn(carts.id)} = ${slot('cartId')} and ${live(sql`${slot('now')}`)} and ${visibleCart} limit 1`,
);
const c = (column: AnySQLiteColumn) => sql`${sql.identifier('c')}.${sql.identifier(column.name)}`;
/**
 * The id of the customer `customerId`'s open cart (API.md §8): the most
 * recently changed of their live open carts, at `now`; null when none.
 */
export const customerCartId = sql`(select ${c(carts.id)} from ${carts} as ${sql.identifier('c')}
  where ${c(carts.customerId)} = ${slot('customerId')} and ${c(carts.status)} = 'open'
    and ${liveAt(c(carts.expiresAt), sql`${slot('now')}`)}
  order by ${c(carts.updatedAt)} desc, ${c(carts.id)} desc limit 1)`;
/** The customer's open cart as a document. */
export const readCustomerCart = compile(
  sql`select ${cartDocumentColumns} from ${cartDocumentFrom(customerCartId)}
    where ${cartColumn(carts.id)} = ${customerCartId} limit 1`,
);
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

/**
 * The three statements of a change of each shape (the guarded bump, the line
 * statement, the read-back), compiled once for every store: their text does
 * not depend on the database they run on.
 */
const statementsFor = memo<string, [Compiled, Compiled, Compiled]>();

/** What a store may remember of its database across requests (a D1 session is a new db each request). */
export interface DatabaseMemo {
  defaultCurrency?: string;
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
  function statements(key: string, change: LineChange, when: Preconditions): [Compiled, Compiled, Compiled] {
    return statementsFor(key, () => build(change, when));
  }

  function build(change: LineChange, when: Preconditions): [Compiled, Compiled, Compiled] {
    const facts = sqlFacts(change);
    const guard = sqlTerms.and(...changeChecks(sqlTerms, facts, change, when, sql`${slot('now')}`).map((c) => c.holds));
    const bump = db
      .update(carts)
      .set({
        version: sql`${carts.version} + 1`,
        updatedAt: sql`${slot('now')}`,
        expiresAt: renewedExpiry,
        lastOp: sql`${slot('op')}`,
      })
      .where(and(eq(carts.id, slot<string>('cartId')), guard))
      .returning({ version: carts.version, merged: sql<number>`${facts.target.exists}`.as('merged') });
    return [compile(bump), compile(write(change)), visibleReadBack];
  }

  /** The statement that makes a change, once its bump has stamped the cart. */
  function write(change: LineChange) {
    const now = sql`${slot('now')}`;
    switch (change.kind) {
      case 'add': {
        const { line } = change;
        return db
          .insert(cartItems)
          .select(
            db
              .select({
                // drizzle wants every column, in table order; a null id lets SQLite assign one.
                id: sql`null`.as('id'),
                cartId: carts.id,
                productId: sql`${line.productId}`.as('product_id'),
                name: sql`${line.name}`.as('name'),
                unitPrice: sql`${line.unitPrice}`.as('unit_price'),
                quantity: sql`${line.quantity}`.as('quantity'),
                metadata: sql`${line.metadata}`.as('metadata'),
                priceSource: sql.raw(`'${line.priceSource === 'catalog' ? 'catalog' : 'custom'}'`).as('price_source'),
                createdAt: sql`${now}`.as('created_at'),
                updatedAt: sql`${now}`.as('updated_at'),
              })
              .from(carts)
              .where(and(eq(carts.id, slot<string>('cartId')), eq(carts.lastOp, slot<string>('op')))),
          )
          .onConflictDoUpdate({
            target: [cartItems.cartId, ...MERGE_KEY.map((column) => cartItems[column])],
            set: { quantity: sql`${cartItems.quantity} + excluded.quantity`, updatedAt: now },
          })
          .returning({ id: cartItems.id });
      }
      case 'update': {
        const set: Record<string, SQL> = { updatedAt: now };
        for (const [field, value] of Object.entries(change.set)) if (value !== undefined) set[field] = sql`${value}`;
        // A price set by hand (the classic surface's PATCH) is no longer the catalog's.
        if (change.set.unitPrice !== undefined) set.priceSource = sql`'custom'`;
        return db
          .update(cartItems)
          .set(set)
          .where(and(eq(cartItems.id, change.lineId), eq(cartItems.cartId, slot<string>('cartId')), stamped))
          .returning({ id: cartItems.id });
      }
      case 'remove':
        return db
          .delete(cartItems)
          .where(and(eq(cartItems.id, change.lineId), eq(cartItems.cartId, slot<string>('cartId')), stamped))
          .returning({ id: cartItems.id });
      case 'clear':
        return db
          .delete(cartItems)
          .where(and(eq(cartItems.cartId, slot<string>('cartId')), stamped))
          .returning({ id: cartItems.id });
    }
  }

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

    /** A live cart as its JSON document, in one statement; undefined when there is none. */
    async read(cartId: string, now: number, caller: Caller): Promise<CartDocument | undefined> {
      const rows = await readLive.all(db, { cartId, now, ...callerValues(caller) });
      return documentOf(rows[0]);
    },

    /** The customer's open cart (the most recently changed), as its document; undefined when they have none. */
    async customerCart(customerId: string, now: number): Promise<CartDocument | undefined> {
      const rows = await readCustomerCart.all(db, { customerId, now });
      return documentOf(rows[0]);
    },

    /** A live cart with its lines as the rules see them (the classic surface's list, a `{}` PATCH). */
    async state(cartId: string, now: number, caller: Caller) {
      const document = await this.read(cartId, now, caller);
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

    /** Creates a cart with its first lines (already merged and checked: model.linesFromItems) in one batch. */
    async create(
      cart: { id: string; currency: string; metadata: string; customerId: string | null },
      lines: NewLine[],
      now: number,
      ttlDays: number,
    ): Promise<CartDocument> {
      const insertCart = db
        .insert(carts)
        .values({ ...cart, version: 1, createdAt: now, updatedAt: now, expiresAt: expiryAfter(now, ttlDays) });
      const rows = lines.map((line) => ({
        ...line,
        priceSource: line.priceSource ?? 'custom',
        cartId: cart.id,
        createdAt: now,
        updatedAt: now,
      }));
      // D1 binds at most 100 parameters a statement: 9 columns a row makes 11 rows a statement.
      const inserts = [];
      for (let i = 0; i < rows.length; i += 11) inserts.push(db.insert(cartItems).values(rows.slice(i, i + 11)));
      const results = await db.batch([insertCart, ...inserts, cartReadBack.inBatch(db, { cartId: cart.id })]);
      const created = documentOf((results.at(-1) as Row[])[0]);
      if (created === undefined) throw new Error('a cart just created could not be read back');
      return created;
    },

    /** Makes one change to a cart's lines, atomically, or says which rule refused it. */
    async change<C extends LineChange>(m: ChangeContext, change: C): Promise<ChangeOutcome<RefusalOf<C>>> {
      const shape = describe(change, m.when);
      const [bump, written, read] = statements(shape.key, shape.change, shape.when);
      const given = {
        ...shape.values,
        ...callerValues(m.caller),
        cartId: m.cartId,
        now: m.now,
        expiry: expiryAfter(m.now, m.ttlDays),
        op: crypto.randomUUID(),
      };
      const fromCatalog = shape.change.kind === 'add' && shape.change.line.priceSource === 'catalog';
      const [bumped, rows, documents, catalogRows] = (await db.batch([
        bump.inBatch(db, given),
        written.inBatch(db, given),
        read.inBatch(db, given),
        // An add priced from the catalog also reads what the catalog held, to explain a refusal.
        ...(fromCatalog ? [catalogRead.inBatch(db, given)] : []),
      ])) as unknown as [Row[], Row[], Row[], Row[] | undefined];
      const document = documentOf(documents[0]);
      // The bump returns the new version and whether a line with the added key was there before.
      const bumpedRow = bumped[0];
      if (bumpedRow === undefined || document === undefined) {
        // The checks of a change of kind C refuse only with RefusalOf<C> (rules.ts types each group).
        const checks = (f: Facts<bigint | null, boolean | null>, judged: LineChange) =>
          changeChecks(values, f, judged, m.when, BigInt(m.now)) as Check<boolean | null, RefusalOf<C>>[];
        const seen = catalogRows?.[0];
        if (seen === undefined || change.kind !== 'add') return refusedOutcome(document, m.caller, change, checks);
        // The rules judge the add at the price and name the catalog gave in that step.
        const priced = { ...change, line: { ...change.line, unitPrice: Number(seen[1] ?? 0) } };
        const catalog = { available: Boolean(seen[0]), priced: seen[1] !== null && seen[1] !== undefined };
        return refusedOutcome(document, m.caller, priced as C, checks, catalog);
      }
      const lineId = rows[0]?.[0] as number | undefined;
      return { applied: true, cart: document, lineId, merged: Boolean(bumpedRow[1]) };
    },

    /** Deletes a cart and its lines, atomically, or says which rule refused it. */
    async remove(m: Omit<ChangeContext, 'ttlDays'>): Promise<{ applied: true } | Refused<DeleteRefusal>> {
      const op = crypto.randomUUID();
      const none: LineChange = { kind: 'clear' };
      const guard = sqlTerms.and(
        ...deleteChecks(sqlTerms, { ...sqlFacts(none), exists: visibleTo(m.caller) }, m.when, sqlTerms.num(m.now)).map(
          (c) => c.holds,
        ),
      );
      const stampedCart = sql`exists (select 1 from ${carts} where ${carts.id} = ${m.cartId} and ${carts.lastOp} = ${op})`;
      const [claimed, , , , documents] = await db.batch([
        db
          .update(carts)
          .set({ lastOp: op })
          .where(and(eq(carts.id, m.cartId), guard))
          .returning({ id: carts.id }),
        db.delete(cartItems).where(and(eq(cartItems.cartId, m.cartId), stampedCart)),
        // Not left to ON DELETE CASCADE: a remote libSQL connection may not keep foreign_keys on.
        db.delete(cartDiscounts).where(and(eq(cartDiscounts.cartId, m.cartId), stampedCart)),
        db.delete(carts).where(and(eq(carts.id, m.cartId), eq(carts.lastOp, op))),
        visibleReadBack.inBatch(db, { cartId: m.cartId, ...callerValues(m.caller) }),
      ]);
      if (claimed.length > 0) return { applied: true };
      const document = documentOf((documents as unknown as Row[])[0]);
      return refusedOutcome(document, m.caller, none, (f) => deleteChecks(values, f, m.when, BigInt(m.now)));
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
