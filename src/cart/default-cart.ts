import { and, asc, eq, sql } from 'drizzle-orm';
import { cartItems, carts, DEFAULT_CART_ID } from '../db/schema.js';
import type { Db } from '../db/store.js';

export interface ClassicLine {
  id: number;
  name: string;
  unitPrice: number;
  quantity: number;
}

const lineColumns = {
  id: cartItems.id,
  name: cartItems.name,
  unitPrice: cartItems.unitPrice,
  quantity: cartItems.quantity,
};

const inDefaultCart = (id: number) => and(eq(cartItems.id, id), eq(cartItems.cartId, DEFAULT_CART_ID));

/** Bumps the default cart's version, but only when line `id` is in it, so a miss changes nothing. */
const bumpIfLineExists = (db: Db, id: number, now: number) =>
  db
    .update(carts)
    .set({ version: sql`${carts.version} + 1`, updatedAt: now })
    .where(
      and(
        eq(carts.id, DEFAULT_CART_ID),
        sql`exists (select 1 from ${cartItems} where ${cartItems.id} = ${id} and ${cartItems.cartId} = ${DEFAULT_CART_ID})`,
      ),
    );

// Nothing changes the default cart's currency after the migration that sets
// it, so it is read once per store (once per process on Node).
const currencies = new WeakMap<Db, string>();

/** The default cart's currency; the migration that creates the cart sets it. */
export async function defaultCurrency(db: Db): Promise<string> {
  const known = currencies.get(db);
  if (known !== undefined) return known;
  const row = await db.select({ currency: carts.currency }).from(carts).where(eq(carts.id, DEFAULT_CART_ID)).get();
  if (!row) throw new Error('the default cart is missing: have the migrations been applied?');
  currencies.set(db, row.currency);
  return row.currency;
}

export function listLines(db: Db): Promise<ClassicLine[]> {
  return db.select(lineColumns).from(cartItems).where(eq(cartItems.cartId, DEFAULT_CART_ID)).orderBy(asc(cartItems.id));
}

export function getLine(db: Db, id: number): Promise<ClassicLine | undefined> {
  return db.select(lineColumns).from(cartItems).where(inDefaultCart(id)).get();
}

/** Adds a line (never merging, as the tutorial did) and bumps the cart's version in one batch. */
export async function addLine(db: Db, line: Omit<ClassicLine, 'id'>, now: number): Promise<ClassicLine> {
  const [inserted] = await db.batch([
    db
      .insert(cartItems)
      .values({ ...line, cartId: DEFAULT_CART_ID, productId: null, createdAt: now, updatedAt: now })
      .returning(lineColumns),
    db
      .update(carts)
      .set({ version: sql`${carts.version} + 1`, updatedAt: now })
      .where(eq(carts.id, DEFAULT_CART_ID)),
  ]);
  const row = inserted[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Applies a partial change; undefined when the line is not in the default cart. */
export async function updateLine(
  db: Db,
  id: number,
  change: Partial<Omit<ClassicLine, 'id'>>,
  now: number,
): Promise<ClassicLine | undefined> {
  const [, updated] = await db.batch([
    bumpIfLineExists(db, id, now),
    db
      .update(cartItems)
      .set({ ...change, updatedAt: now })
      .where(inDefaultCart(id))
      .returning(lineColumns),
  ]);
  return updated[0];
}

/** Removes a line; false when it is not in the default cart. */
export async function deleteLine(db: Db, id: number, now: number): Promise<boolean> {
  const [, deleted] = await db.batch([
    bumpIfLineExists(db, id, now),
    db.delete(cartItems).where(inDefaultCart(id)).returning({ id: cartItems.id }),
  ]);
  return deleted.length > 0;
}
