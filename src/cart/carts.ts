import { and, asc, eq, gt, inArray, isNull, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type CartItemRow, type CartRow, cartItems, carts } from '../db/schema.js';
import type { Db } from '../db/store.js';
import { expiryFrom, LIMITS, MAX_AMOUNT } from './rules.js';

/** What every mutation needs to know besides its own input. */
export interface MutationContext {
  cartId: string;
  now: number;
  ttlDays: number;
  /** When set, the mutation applies only while the cart is at one of these versions (If-Match). */
  ifVersions?: number[] | undefined;
}

/** The state a mutation leaves, read in the same atomic batch that made it. */
export interface MutationResult<T = undefined> {
  /** Whether every precondition held and the change was made. */
  applied: boolean;
  cart: CartRow | undefined;
  lines: CartItemRow[];
  detail?: T;
}

const live = (now: number | Placeholder) => or(isNull(carts.expiresAt), gt(carts.expiresAt, now));

/**
 * A live cart with its lines in one statement (no batch, no transaction):
 * a row per line, or one row with no line for an empty cart.
 */
const cartWithLines = (db: Db, cartId: string | Placeholder, now: number | Placeholder) =>
  db
    .select({ cart: carts, line: cartItems })
    .from(carts)
    .leftJoin(cartItems, eq(cartItems.cartId, carts.id))
    .where(and(eq(carts.id, cartId), live(now)))
    .orderBy(asc(cartItems.id));

type CartWithLinesRows = Array<{ cart: CartRow; line: CartItemRow | null }>;

// Inside a batch the cart and its lines are two plain selects: D1 returns
// batch rows as objects keyed by column name, so a join's like-named columns
// (id, created_at …) would overwrite each other.
const cartRow = (db: Db, cartId: string, now: number) =>
  db
    .select()
    .from(carts)
    .where(and(eq(carts.id, cartId), live(now)));
const linesOf = (db: Db, cartId: string) =>
  db.select().from(cartItems).where(eq(cartItems.cartId, cartId)).orderBy(asc(cartItems.id));

function fold(rows: CartWithLinesRows): { cart: CartRow | undefined; lines: CartItemRow[] } {
  const lines: CartItemRow[] = [];
  for (const { line } of rows) if (line !== null) lines.push(line);
  return { cart: rows[0]?.cart, lines };
}

// The read is the hottest query: on Node, where the store lives as long as the
// process, it is built and prepared once per store rather than per request.
const preparedReads = new WeakMap<Db, ReturnType<typeof prepareRead>>();
const prepareRead = (db: Db) => cartWithLines(db, sql.placeholder('id'), sql.placeholder('now')).prepare();

/**
 * The first statement of every mutation: bumps the version, moves the expiry
 * and stamps the operation id, but only on a live cart at the expected
 * version where `allowed` holds. Later statements run only where the stamp is.
 */
const bump = (db: Db, m: MutationContext, op: string, allowed: SQL | undefined) =>
  db
    .update(carts)
    .set({
      version: sql`${carts.version} + 1`,
      updatedAt: m.now,
      expiresAt: sql`case when ${carts.expiresAt} is null then null else ${expiryFrom(m.now, m.ttlDays)} end`,
      lastOp: op,
    })
    .where(
      and(
        eq(carts.id, m.cartId),
        live(m.now),
        m.ifVersions === undefined ? undefined : inArray(carts.version, m.ifVersions),
        allowed,
      ),
    )
    .returning({ version: carts.version });

const stamped = (cartId: string, op: string) =>
  sql`exists (select 1 from ${carts} where ${carts.id} = ${cartId} and ${carts.lastOp} = ${op})`;

/** Σ unit_price × quantity of a cart's lines, in SQL's exact 64-bit integers. */
const subtotalOf = (cartId: string) =>
  sql`(select coalesce(sum(${cartItems.unitPrice} * ${cartItems.quantity}), 0) from ${cartItems} where ${cartItems.cartId} = ${cartId})`;

export async function readCart(db: Db, cartId: string, now: number) {
  let read = preparedReads.get(db);
  if (read === undefined) {
    read = prepareRead(db);
    preparedReads.set(db, read);
  }
  const { cart, lines } = fold((await read.all({ id: cartId, now })) as CartWithLinesRows);
  return cart ? { cart, lines } : undefined;
}

export interface NewLine {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  /** Canonical JSON, see canonicalMetadata. */
  metadata: string;
}

/** Creates a cart with its first lines in one batch. The caller has merged and checked the lines. */
export async function createCart(
  db: Db,
  cart: { id: string; currency: string; metadata: string },
  lines: NewLine[],
  now: number,
  ttlDays: number,
) {
  const insertCart = db.insert(carts).values({
    ...cart,
    version: 1,
    createdAt: now,
    updatedAt: now,
    expiresAt: expiryFrom(now, ttlDays),
  });
  const rows = lines.map((line) => ({ ...line, cartId: cart.id, createdAt: now, updatedAt: now }));
  // D1 binds at most 100 parameters a statement: 8 columns a row makes 12 rows a statement.
  const inserts = [];
  for (let i = 0; i < rows.length; i += 12) inserts.push(db.insert(cartItems).values(rows.slice(i, i + 12)));
  await db.batch([insertCart, ...inserts]);
  return readCart(db, cart.id, now);
}

/** Deletes a live cart and its lines; false when there was none. */
export async function deleteCart(db: Db, cartId: string, now: number, ifVersions?: number[]): Promise<boolean> {
  const target = and(
    eq(carts.id, cartId),
    live(now),
    ifVersions === undefined ? undefined : inArray(carts.version, ifVersions),
  );
  const [, deleted] = await db.batch([
    db.delete(cartItems).where(and(eq(cartItems.cartId, cartId), sql`exists (select 1 from ${carts} where ${target})`)),
    db.delete(carts).where(target).returning({ id: carts.id }),
  ]);
  return deleted.length > 0;
}

/**
 * Adds a line, or merges it into the line with the same product, price and
 * metadata. The line limit, the quantity limit after a merge and the subtotal
 * limit are checked inside the atomic step, so concurrent adds cannot pass them.
 */
export async function addLine(
  db: Db,
  m: MutationContext,
  line: NewLine,
): Promise<MutationResult<{ merged: boolean; lineId?: number | undefined }>> {
  const op = crypto.randomUUID();
  const sameLine = and(
    eq(cartItems.cartId, m.cartId),
    eq(cartItems.productId, line.productId),
    eq(cartItems.unitPrice, line.unitPrice),
    eq(cartItems.metadata, line.metadata),
  );
  const existingQuantity = sql`coalesce((select ${cartItems.quantity} from ${cartItems} where ${sameLine}), 0)`;
  const lineCount = sql`(select count(*) from ${cartItems} where ${cartItems.cartId} = ${m.cartId})`;
  const allowed = and(
    sql`${existingQuantity} + ${line.quantity} <= ${LIMITS.quantityMax}`,
    sql`(exists (select 1 from ${cartItems} where ${sameLine}) or ${lineCount} < ${LIMITS.linesPerCart})`,
    sql`${subtotalOf(m.cartId)} + ${line.unitPrice} * ${line.quantity} <= ${MAX_AMOUNT}`,
  );
  const [bumped, upserted, cart, lines] = await db.batch([
    bump(db, m, op, allowed),
    db
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
            createdAt: sql`${m.now}`.as('created_at'),
            updatedAt: sql`${m.now}`.as('updated_at'),
          })
          .from(carts)
          // Exactly the one cart row, and only if this operation's bump stamped it.
          .where(and(eq(carts.id, m.cartId), eq(carts.lastOp, op))),
      )
      .onConflictDoUpdate({
        target: [cartItems.cartId, cartItems.productId, cartItems.unitPrice, cartItems.metadata],
        set: { quantity: sql`${cartItems.quantity} + excluded.quantity`, updatedAt: m.now },
      })
      .returning({ id: cartItems.id, quantity: cartItems.quantity }),
    cartRow(db, m.cartId, m.now),
    linesOf(db, m.cartId),
  ]);
  const row = upserted[0];
  return {
    applied: bumped.length > 0,
    cart: cart[0],
    lines,
    // A merge always leaves more than the added quantity, as a stored line has at least 1.
    detail: { merged: row !== undefined && row.quantity !== line.quantity, lineId: row?.id },
  };
}

/** Changes a line's quantity and/or metadata; quantity 0 removes it. */
export async function updateLine(
  db: Db,
  m: MutationContext,
  lineId: number,
  change: { quantity?: number | undefined; metadata?: string | undefined },
): Promise<MutationResult> {
  const op = crypto.randomUUID();
  const line = and(eq(cartItems.id, lineId), eq(cartItems.cartId, m.cartId));
  const current = (column: SQL | typeof cartItems.quantity) => sql`(select ${column} from ${cartItems} where ${line})`;
  const conditions: SQL[] = [sql`exists (select 1 from ${cartItems} where ${line})`];
  if (change.quantity !== undefined && change.quantity > 0) {
    conditions.push(
      sql`${subtotalOf(m.cartId)} - ${current(sql`${cartItems.unitPrice} * ${cartItems.quantity}`)} + ${current(sql`${cartItems.unitPrice}`)} * ${change.quantity} <= ${MAX_AMOUNT}`,
    );
  }
  if (change.metadata !== undefined) {
    // Another line with the same product, price and the new metadata would make a duplicate.
    conditions.push(sql`not exists (select 1 from ${cartItems} as other where other.cart_id = ${m.cartId}
      and other.id <> ${lineId}
      and other.product_id = ${current(sql`${cartItems.productId}`)}
      and other.unit_price = ${current(sql`${cartItems.unitPrice}`)}
      and other.metadata = ${change.metadata})`);
  }
  const where = and(line, stamped(m.cartId, op));
  const mutation =
    change.quantity === 0
      ? db.delete(cartItems).where(where)
      : db
          .update(cartItems)
          .set({ quantity: change.quantity, metadata: change.metadata, updatedAt: m.now })
          .where(where);
  const [bumped, , cart, lines] = await db.batch([
    bump(db, m, op, and(...conditions)),
    mutation,
    cartRow(db, m.cartId, m.now),
    linesOf(db, m.cartId),
  ]);
  return { applied: bumped.length > 0, cart: cart[0], lines };
}

/** Removes one line, or every line when `lineId` is undefined (emptying an empty cart changes nothing). */
export async function removeLines(db: Db, m: MutationContext, lineId?: number): Promise<MutationResult> {
  const op = crypto.randomUUID();
  const target = and(eq(cartItems.cartId, m.cartId), lineId === undefined ? undefined : eq(cartItems.id, lineId));
  const [bumped, , cart, lines] = await db.batch([
    bump(db, m, op, sql`exists (select 1 from ${cartItems} where ${target})`),
    db.delete(cartItems).where(and(target, stamped(m.cartId, op))),
    cartRow(db, m.cartId, m.now),
    linesOf(db, m.cartId),
  ]);
  return { applied: bumped.length > 0, cart: cart[0], lines };
}

/** A page of live carts in creation order, for the admin listing; stable while carts are created. */
export async function listCarts(db: Db, now: number, limit: number, after?: { createdAt: number; id: string }) {
  // Correlated subqueries: only the page's carts are summed, each through the merge-key index.
  const ofCart = sql`from ${cartItems} where ${cartItems.cartId} = ${carts.id}`;
  const rows = await db
    .select({
      cart: carts,
      lineCount: sql<number>`(select count(*) ${ofCart})`,
      itemCount: sql<number>`(select coalesce(sum(${cartItems.quantity}), 0) ${ofCart})`,
      subtotal: sql<number>`(select coalesce(sum(${cartItems.unitPrice} * ${cartItems.quantity}), 0) ${ofCart})`,
    })
    .from(carts)
    .where(
      and(
        live(now),
        after === undefined ? undefined : sql`(${carts.createdAt}, ${carts.id}) > (${after.createdAt}, ${after.id})`,
      ),
    )
    .orderBy(asc(carts.createdAt), asc(carts.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
