/** Who a request speaks for (API.md §8): a customer (`sub` of a verified token), the admin, or nobody in particular. */
export interface Caller {
  customerId: string | null;
  admin: boolean;
}

export const ANONYMOUS: Caller = { customerId: null, admin: false };
export const ADMIN: Caller = { customerId: null, admin: true };

/**
 * The visibility rule (API.md §8), stated once: a cart bound to a customer
 * (and the order it became) exists only for that customer and the admin; an
 * unbound one for whoever holds its id. `owner` is the customer it is bound
 * to, null for none. data/sql-rules.ts renders the same rule as SQL.
 *
 * @example
 * sees({ customerId: 'cus_1', admin: false }, 'cus_2') // false
 */
export const sees = (caller: Caller, owner: string | null) =>
  owner === null || caller.admin || owner === caller.customerId;
