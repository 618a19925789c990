/** The cart behind the classic `/api/cart-items/` surface; a migration creates it and it never expires. */
export const DEFAULT_CART_ID = 'default';

/** An id: a prefix and 22 base64url characters carrying 128 bits from the platform CSPRNG. */
function newId(prefix: 'crt' | 'ord' | 'evt'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `${prefix}_${base64.slice(0, 22).replaceAll('+', '-').replaceAll('/', '_')}`;
}

/** A cart id (`crt_…`): a capability, so unguessable. */
export const newCartId = () => newId('crt');
/** An order id (`ord_…`, API.md §5): a capability, as a cart id is. */
export const newOrderId = () => newId('ord');
/** An event id (`evt_…`, API.md §6). */
export const newEventId = () => newId('evt');

const ORDER_ID = /^ord_[A-Za-z0-9_-]{22}$/;
export const isOrderId = (id: string) => ORDER_ID.test(id);
const EVENT_ID = /^evt_[A-Za-z0-9_-]{22}$/;
export const isEventId = (id: string) => EVENT_ID.test(id);

const CART_ID = /^crt_[A-Za-z0-9_-]{22}$/;

/** A cart id in its shape, or the default cart's; anything else cannot name a cart. */
export const isCartId = (id: string) => id === DEFAULT_CART_ID || CART_ID.test(id);

/** A line id from a path segment: a positive integer of at most 15 digits, else undefined. */
export function parseLineId(raw: string): number | undefined {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : undefined;
}
