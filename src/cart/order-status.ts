/*
 * The order lifecycle (README, The order lifecycle): the statuses an order moves through and
 * the moves allowed, stated once. The database guards a move by the order's
 * status in the same statement that makes it (data/order-lifecycle.ts); the
 * refusal names the moves open from the status the order is in.
 */

/** The statuses of an order, in lifecycle order. */
export const ORDER_STATUSES = ['placed', 'paid', 'fulfilled', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses an order in each status may move to: placed → paid → fulfilled; placed or paid → cancelled. */
export const NEXT_STATUSES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['paid', 'cancelled'],
  paid: ['fulfilled', 'cancelled'],
  fulfilled: [],
  cancelled: [],
};

/** The statuses an order may be in to move to `to`. */
export const statusesBefore = (to: OrderStatus): OrderStatus[] =>
  ORDER_STATUSES.filter((from) => NEXT_STATUSES[from].includes(to));

/** The words of a refused move: what the order is, and what it may become (or that it is final). */
export function transitionMessage(from: OrderStatus, to: OrderStatus): string {
  const open = NEXT_STATUSES[from];
  const allowed = open.length === 0 ? `it is final` : `it may become ${open.join(' or ')}`;
  return `The order is ${from} and cannot become ${to}: ${allowed}.`;
}
