import { and, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type LineChange, type LineUpdate, MERGE_KEY, type Preconditions } from '../cart/changes.js';
import { changeChecks } from '../cart/rules.js';
import { visibleReadBack } from './cart-document.js';
import { type Compiled, compile, slot } from './compiled.js';
import type { Db } from './db.js';
import { bumpWhere, byShape, renewedAfter, stampedBy } from './guarded.js';
import { cartItems, carts } from './schema.js';
import { catalogName, catalogPrice, type SymbolicChange, sqlFacts, sqlTerms, touchedProduct } from './sql-rules.js';

/**
 * What decides a change's SQL text (its kind, which fields it sets, how long
 * its If-Match lists are), the same change with each value replaced by a
 * named slot, and those values by name.
 */
function describe(change: LineChange) {
  const values: Record<string, unknown> = {};
  const key: string[] = [change.kind];
  const put = (name: string, value: unknown): SQLWrapper => {
    values[name] = value;
    return sql.placeholder(name);
  };
  let symbolic: SymbolicChange;
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
          name: fromCatalog ? catalogName(sql.placeholder('productId')) : put('name', line.name),
          unitPrice: fromCatalog ? catalogPrice(sql.placeholder('productId')) : put('unitPrice', line.unitPrice),
          quantity: put('quantity', line.quantity),
          metadata: put('metadata', line.metadata),
          priceSource: fromCatalog ? 'catalog' : 'custom',
        },
      };
      break;
    }
    case 'update': {
      const set: LineUpdate<SQLWrapper> = {};
      for (const field of ['quantity', 'unitPrice', 'name', 'metadata'] as const) {
        const value = change.set[field];
        if (value === undefined) continue;
        key.push(field);
        set[field] = put(`set_${field}`, value);
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
  return { key: key.join('|'), change: symbolic, values };
}

/** This change's own stamp on its cart (the slot `op`). */
const stamped = stampedBy();

/**
 * The statements of a change (its guarded bump, its line statement, its
 * read-back), compiled once per shape (guarded.ts byShape), the symbolic
 * change they were built from, and the values of its slots.
 */
export function changeStatements(db: Db, change: LineChange, when: Preconditions, reserve: boolean) {
  const shape = describe(change);
  const built = byShape(`line|${shape.key}|${reserve}`, when, (w) => build(db, shape.change, w, reserve));
  return { change: shape.change, ...built.statements, values: { ...shape.values, ...built.values } };
}

function build(db: Db, change: SymbolicChange, when: Preconditions, reserve: boolean) {
  const facts = sqlFacts(change, reserve);
  const checks = changeChecks(sqlTerms, facts, change, when, sql`${slot('now')}`);
  // It returns the new version, and whether a line with the added key was there before.
  const bump = bumpWhere(
    checks.map((check) => check.holds),
    { returning: sql`${carts.version}, ${facts.target.exists}` },
  );
  const statements: Compiled[] = [
    bump,
    compile(write(db, change)),
    ...(reserve ? [renewedAfter] : []),
    visibleReadBack,
  ];
  // With INVENTORY=reserve, what a refusal is explained with: the product's stock as the step saw it (model.ts StockRead).
  const product = reserve ? touchedProduct(change) : undefined;
  const stockRead =
    product === undefined
      ? undefined
      : // Read only where the change was refused (its stamp is not on the cart): an add made costs no more.
        compile(
          sql`select ${facts.stock.tracked}, ${facts.stock.room}, ${facts.stock.lapsedShort} from ${carts}
            where ${carts.id} = ${slot('cartId')} and ${carts.lastOp} is not ${slot('op')}`,
        );
  return { statements, stockRead };
}

/** The statement that makes a change, once its bump has stamped the cart. */
function write(db: Db, change: SymbolicChange) {
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
              // The cart's reservation, as the bump before it renewed it (schema.ts).
              reservedUntil: carts.reservedUntil,
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
