import { sql } from 'drizzle-orm';
import type { DetailsPatch } from '../cart/details.js';
import { type DetailsOutcome, patchDetails } from './cart-details.js';
import { type CartStore, cartStore, type DatabaseMemo } from './carts.js';
import { type CheckoutContext, type CheckoutOutcome, checkout } from './checkout.js';
import type { Db } from './db.js';
import { type ClearOutcome, clearDelivery, type SelectOutcome, selectDelivery } from './delivery.js';
import { type DiscountStore, discountStore } from './discounts.js';
import { type EventStore, eventStore } from './events.js';
import { type SetTaxOutcome, setExternalTax } from './external-tax.js';
import type { ChangeContext } from './guarded.js';
import { type IdempotencyStore, idempotencyStore } from './idempotency.js';
import { type MergeContext, type MergeOutcome, mergeCarts } from './merge.js';
import { type OrderStore, orderStore } from './orders.js';
import { type ProductStore, productStore } from './products.js';
import { recentCarts } from './recent-carts.js';
import { type ShippingRateStore, shippingRateStore } from './shipping-rates.js';
import { type StockStore, stockStore } from './stock.js';
import { type TaxRateStore, taxRateStore } from './tax-rates.js';
import type { ExternalTax } from './tax-sql.js';

/**
 * The bookmark a request answers with (API.md §9): known at once (Node's
 * store has one copy, so any well-formed value serves), or once the request's
 * queries are done (a D1 session's latest).
 */
export type Bookmark = ({ now: () => string } | { after: () => Promise<string> }) & {
  /** Whether a client's `X-Bookmark` could be one this store gave out; anything else is refused (400). */
  issued: (sent: string) => boolean;
};

/** What the app reads and writes through: the drizzle db, the repositories over it, and its bookmark. */
export interface Store {
  db: Db;
  carts: CartStore & {
    /** A customer takes an anonymous cart's lines at sign-in (API.md §8). */
    merge: (m: MergeContext) => Promise<MergeOutcome>;
    /** Applies a merge patch of who buys and where it goes (API.md §10). */
    details: (m: ChangeContext, patch: DetailsPatch) => Promise<DetailsOutcome>;
    /** Selects the cart's delivery (API.md §10). */
    selectDelivery: (m: ChangeContext, optionId: string) => Promise<SelectOutcome>;
    /** Sets the tax a tax service worked out (API.md §11, `TAX=external`). */
    setTax: (m: ChangeContext, tax: ExternalTax) => Promise<SetTaxOutcome>;
    clearDelivery: (m: ChangeContext) => Promise<ClearOutcome>;
  };
  /** Checks a cart out into an order (API.md §5). */
  checkout: (m: CheckoutContext) => Promise<CheckoutOutcome>;
  /** Whether the database answers (`/readyz`). */
  ping: () => Promise<void>;
  products: ProductStore;
  /** Shipping rates, the admin's (API.md §10). */
  shippingRates: ShippingRateStore;
  /** Tax rates, the admin's (API.md §11). */
  taxRates: TaxRateStore;
  /** Stock, the admin's (README, Stock). */
  stock: StockStore;
  /** Idempotency keys: the answer of a request retried with the same key (API.md §3). */
  idempotency: IdempotencyStore;
  discounts: DiscountStore;
  orders: OrderStore;
  events: EventStore;
  bookmark: Bookmark;
}

/** How a request wants its store: from a bookmark, and whether it may write (D1 starts writes on the primary). */
export interface Consistency {
  bookmark: string | undefined;
  writes: boolean;
}

/** A store with one copy of its data (Node) reads its own writes: its bookmark is the clock's. */
const ONE_COPY: Bookmark = { now: () => clockBookmark(), issued: (sent) => clockIssued(sent) };

/**
 * The store over a drizzle database. Node builds it once at start; Workers
 * once per request, over that request's D1 session. `memo` outlives the
 * store: what it remembers of the database (one object per database).
 *
 * @example
 * const store = storeOver(drizzle(client, { schema }));
 */
export function storeOver(db: Db, bookmark: Bookmark = ONE_COPY, memo: DatabaseMemo = {}): Store {
  memo.recent ??= recentCarts();
  const { recent } = memo;
  return {
    db,
    carts: {
      ...cartStore(db, memo),
      merge: async (m) => {
        const outcome = await mergeCarts(db, m);
        // The anonymous cart is gone, or is the customer's now: either way not as remembered.
        if (outcome.merged) recent.forget(m.anonymousId);
        return outcome;
      },
      details: async (m, patch) => {
        const outcome = await patchDetails(db, m, patch);
        recent.note(m.cartId, outcome.cart);
        return outcome;
      },
      selectDelivery: (m, optionId) => selectDelivery(db, m, optionId, recent),
      setTax: async (m, tax) => {
        const outcome = await setExternalTax(db, m, tax);
        recent.note(m.cartId, outcome.cart);
        return outcome;
      },
      clearDelivery: async (m) => {
        const outcome = await clearDelivery(db, m);
        recent.note(m.cartId, outcome.cart);
        return outcome;
      },
    },
    checkout: (m) => checkout(db, m, recent),
    ping: async () => {
      await db.run(sql`select 1`);
    },
    products: productStore(db),
    shippingRates: shippingRateStore(db),
    taxRates: taxRateStore(db),
    stock: stockStore(db),
    idempotency: idempotencyStore(db),
    discounts: discountStore(db, recent),
    orders: orderStore(db),
    events: eventStore(db),
    bookmark,
  };
}

/** A bookmark as D1 issues them: four hexadecimal fields, 8-8-8-32 digits, that sort in commit order. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** Whether a client's `X-Bookmark` is one this service could have issued. */
export const isBookmark = (value: string) => BOOKMARK.test(value);

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

let latest = 0;

/**
 * A bookmark in D1's form for a store with one copy (Node): the clock in
 * milliseconds, held back from ever going backwards in a process (a clock
 * set back does not move it). It carries no meaning there; it lets a client
 * thread bookmarks the same way everywhere.
 */
export function clockBookmark(clock = Date.now()): string {
  latest = Math.max(latest, clock);
  const now = latest;
  return `00000000-${hex8(Math.floor(now / 2 ** 32))}-${hex8(now % 2 ** 32)}-${'0'.repeat(32)}`;
}

/** The form of clockBookmark's bookmarks: the clock in the middle fields, zeros around it. */
const CLOCK_FORM = /^00000000-([0-9a-f]{8})-([0-9a-f]{8})-0{32}$/;
/** How far past this process's clock another process of the service (same machine) may have reached. */
const LEEWAY_MS = 60_000;

/**
 * Whether `sent` could be a clockBookmark of this service: of its form, and
 * from no later than the clock has reached (with a minute of leeway for the
 * other processes of a server). A bookmark from the future was never given out.
 */
export function clockIssued(sent: string, clock = Date.now()): boolean {
  const match = CLOCK_FORM.exec(sent);
  if (match === null) return false;
  const ms = Number.parseInt(match[1] ?? '', 16) * 2 ** 32 + Number.parseInt(match[2] ?? '', 16);
  return ms <= Math.max(latest, clock) + LEEWAY_MS;
}
