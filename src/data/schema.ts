import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { MERGE_KEY } from '../cart/changes.js';
import { ORDER_STATUSES } from '../cart/order-status.js';

/** Times are epoch milliseconds; money is an integer count of the currency's minor unit. */
export const carts = sqliteTable(
  'carts',
  {
    id: text('id').primaryKey(),
    currency: text('currency').notNull(),
    version: integer('version').notNull().default(1),
    metadata: text('metadata').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** Null for the default cart, which never expires. */
    expiresAt: integer('expires_at'),
    /**
     * The id of the last mutation applied. A mutation's first statement bumps
     * the version and sets this only if every precondition holds; its later
     * statements run only where it is set, so the batch applies whole or not at all.
     */
    lastOp: text('last_op'),
    /** `open`, or `checked_out` once an order was placed from it (API.md §5); a closed cart takes no change. */
    status: text('status', { enum: ['open', 'checked_out'] })
      .notNull()
      .default('open'),
    /** The order a checked-out cart became. */
    orderId: text('order_id'),
    /** The customer a cart is bound to (API.md §8): it answers only to them and the admin. Null: anonymous. */
    customerId: text('customer_id'),
    /** Who buys and where it goes (API.md §10): null where unset; addresses and attributes as JSON. */
    email: text('email'),
    note: text('note'),
    attributes: text('attributes').notNull().default('{}'),
    shippingAddress: text('shipping_address'),
    billingAddress: text('billing_address'),
    /**
     * The shipping rate selected for delivery (API.md §10), and its name when
     * selected (shown if the rate is deleted since). No reference: a selection
     * outlives its rate and shows as not applicable.
     */
    deliveryOptionId: text('delivery_option_id'),
    deliveryName: text('delivery_name'),
    /**
     * The tax a tax service set (API.md §11, `TAX=external`): JSON of each
     * line's tax lines by line id and the shipping's; with the version the
     * cart had once it was set (a later change makes it stale). Null: none set.
     */
    externalTax: text('external_tax'),
    externalTaxVersion: integer('external_tax_version'),
    /**
     * With INVENTORY=reserve (README, Stock): until when the units of its
     * tracked lines are reserved for it, renewed by every change (epoch ms).
     * Null: its last change reserved nothing.
     */
    reservedUntil: integer('reserved_until'),
  },
  (t) => [
    index('carts_expires_at_idx').on(t.expiresAt),
    index('carts_created_at_idx').on(t.createdAt),
    index('carts_customer_idx').on(t.customerId, t.status, t.updatedAt),
  ],
);

export const cartItems = sqliteTable(
  'cart_items',
  {
    // AUTOINCREMENT: an id is never handed out again after its line is deleted.
    id: integer('id').primaryKey({ autoIncrement: true }),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    /** Null for lines made through the classic surface, which never merge. */
    productId: text('product_id'),
    name: text('name').notNull(),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull(),
    /** Canonical JSON (sorted keys), so equal metadata compares equal in SQL. */
    metadata: text('metadata').notNull().default('{}'),
    /** `catalog`: priced from the product (checkout compares it again); `custom`: a price a trusted caller set. */
    priceSource: text('price_source', { enum: ['catalog', 'custom'] })
      .notNull()
      .default('custom'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /**
     * Its cart's `reserved_until` (README, Stock), copied by each statement
     * inserting a line and followed by the trigger `cart_items_reserved_until`
     * lazily: at most 30 s behind the cart's, never ahead, null with it (so
     * an active cart rewrites its lines at most every 30 s). What other carts
     * hold of a product is then read from ranges of the index below (its
     * live reservations; sql-rules.ts heldElsewhere), not from every line of it.
     */
    reservedUntil: integer('reserved_until'),
  },
  // The merge key: one line per product, price, metadata and price source in a cart. It also
  // serves every lookup by cart, as cart_id leads it.
  (t) => [
    uniqueIndex('cart_items_merge_key').on(t.cartId, ...MERGE_KEY.map((column) => t[column])),
    // What carts hold of a product in live reservations (README, Stock), read from the index alone.
    index('cart_items_reserved_idx').on(t.productId, t.reservedUntil, t.quantity, t.cartId),
  ],
);

/**
 * One record per Idempotency-Key and scope: claimed (status null) while the
 * first request runs, then holding the response that is replayed until it expires.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and body of the first request. */
    fingerprint: text('fingerprint').notNull(),
    status: integer('status'),
    /** JSON object of the response headers that are replayed. */
    headers: text('headers'),
    body: text('body'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_expires_at_idx').on(t.expiresAt)],
);

/** The catalog (API.md §4): a product's prices are a JSON object of currency → minor units. */
export const products = sqliteTable('products', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Canonical JSON: `{"EUR": 1299, "USD": 1399}`, keys sorted. */
  prices: text('prices').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  metadata: text('metadata').notNull().default('{}'),
  /** Whether lines of the product are shipped (API.md §10): false for digital goods. */
  shippable: integer('shippable', { mode: 'boolean' }).notNull().default(true),
  /** The tax category of its lines (API.md §11): the tax rates of that category apply to them. */
  taxCategory: text('tax_category').notNull().default('standard'),
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Orders (README, Checkout and orders): `body` is the order resource as JSON, its lines,
 * discounts, delivery, tax and totals as placed and never changed; only its
 * lifecycle moves (`status`, `version`, `status_history`,
 * `payment_reference`, in the body and, where a statement guards by them,
 * in columns). `last_op` stamps the change that moved it last.
 */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    cartId: text('cart_id').notNull(),
    customerId: text('customer_id'),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('placed'),
    version: integer('version').notNull().default(1),
    lastOp: text('last_op'),
    /** The units of each tracked product the order took (README, Stock), by product id, JSON; null: none. */
    stockTaken: text('stock_taken'),
  },
  (t) => [
    index('orders_created_at_idx').on(t.createdAt),
    index('orders_cart_id_idx').on(t.cartId),
    index('orders_customer_created_at_idx').on(t.customerId, t.createdAt),
  ],
);

/**
 * The outbox of events (API.md §6), written in the same step as the change
 * it reports. `body` is the CloudEvents envelope as JSON. A dispatcher claims
 * a due event by setting `lease_until`; delivery sets `status`.
 */
export const events = sqliteTable(
  'events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('events_due_idx').on(t.status, t.nextAttemptAt),
    index('events_created_at_idx').on(t.createdAt),
    index('events_delivered_at_idx').on(t.deliveredAt),
  ],
);

/**
 * Discount codes (API.md §7), by code in upper case. `amount_off` and
 * `min_subtotal` are canonical JSON of currency → minor units; times are
 * epoch ms. `redemptions` counts the orders placed with the code.
 */
export const discounts = sqliteTable('discounts', {
  code: text('code').primaryKey(),
  kind: text('kind', { enum: ['percentage', 'fixed'] }).notNull(),
  percentOffBp: integer('percent_off_bp'),
  amountOff: text('amount_off'),
  minSubtotal: text('min_subtotal'),
  startsAt: integer('starts_at'),
  endsAt: integer('ends_at'),
  maxRedemptions: integer('max_redemptions'),
  redemptions: integer('redemptions').notNull().default(0),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /**
   * Set when the admin deletes the discount: the row stays, so a code created
   * again keeps its redemptions and its version keeps growing.
   */
  deletedAt: integer('deleted_at'),
});

/**
 * Shipping rates (API.md §10): where a rate delivers (`countries`, JSON; `["*"]`
 * everywhere), its price and `free_over` by currency, the band of merchandise
 * totals it serves (JSON by currency, null for none). A cart's delivery
 * selection names a rate by id; a rate deleted leaves it not applicable.
 */
export const shippingRates = sqliteTable('shipping_rates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  countries: text('countries').notNull(),
  prices: text('prices').notNull(),
  freeOver: text('free_over'),
  minSubtotal: text('min_subtotal'),
  maxSubtotal: text('max_subtotal'),
  taxCategory: text('tax_category'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Tax rates (API.md §11, `TAX=rates`): a rate applies to the lines of its
 * category shipped to its country, in its region if it names one
 * (ISO 3166-2), in basis points. Several rates of one place stack.
 */
export const taxRates = sqliteTable(
  'tax_rates',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    country: text('country').notNull(),
    region: text('region'),
    category: text('category').notNull(),
    rateBp: integer('rate_bp').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('tax_rates_country_idx').on(t.country)],
);

/**
 * The codes attached to a cart, in the order they were attached (`id`). No
 * reference to `discounts`: a deleted discount stays attached and shows as
 * not applicable.
 */
export const cartDiscounts = sqliteTable(
  'cart_discounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('cart_discounts_cart_code').on(t.cartId, t.code)],
);

export type CartRow = typeof carts.$inferSelect;
export type CartItemRow = typeof cartItems.$inferSelect;

/**
 * Stock (README, Stock), the admin's, per product id: `on_hand` is never below
 * 0 (every write guards it in the statement that makes it). A product
 * without a row is not tracked.
 */
export const stock = sqliteTable('stock', {
  productId: text('product_id').primaryKey(),
  onHand: integer('on_hand').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
