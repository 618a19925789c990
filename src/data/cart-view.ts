import { deliveryOf, rateFactsOf } from '../cart/delivery.js';
import { type CartDiscounts, discountsOf } from '../cart/discounts.js';
import { bodyOf, type CartBody, type CartDocument, codeRecordOf, codesOf } from './cart-json.js';
import { type DeliveryData, rateRecordOf } from './delivery-sql.js';

/*
 * The cart as a read shows it: the body the database built, with what only
 * JavaScript works out exactly (API.md §7 discounts, §10 delivery) filled in.
 */

const discountsOfBody = (cart: CartBody, document: CartDocument, now: number) =>
  discountsOf(
    cart.items.map((item) => ({ id: item.id, total: item.line_total })),
    codesOf(document).map(codeRecordOf),
    now,
  );

/** The discounts of a cart document at `now`; undefined when it holds no code. */
export function documentDiscounts(document: CartDocument, now: number): CartDiscounts | undefined {
  if (document.codes === '[]') return undefined;
  return discountsOfBody(bodyOf(document), document, now);
}

/**
 * The cart resource as shown at `now`: the body as read when the cart holds
 * no code, no shipping address and no delivery (the common case); else with
 * its discounts (API.md §7) and then its delivery (§10, judged on the total
 * after discounts) worked out; for a checked-out cart, those of its order.
 */
export function shownBody(document: CartDocument, now: number): string {
  if (document.codes === '[]' && document.delivery === null) return document.body;
  const cart = bodyOf(document);
  if (document.order !== null) return placedBody(cart, document.order);
  if (document.codes !== '[]') {
    const discounts = discountsOfBody(cart, document, now);
    for (const item of cart.items) item.discount_allocations = discounts.lines.get(item.id) ?? [];
    cart.discount_codes = discounts.view;
    cart.discount_total = discounts.discountTotal;
    cart.total = discounts.total;
  }
  if (document.delivery !== null) {
    const data = JSON.parse(document.delivery) as DeliveryData;
    const delivery = deliveryOf(
      data.rates.map(rateRecordOf),
      data.addressed,
      cart.total,
      data.selected === null ? null : { id: data.selected, name: data.name ?? data.selected },
    );
    cart.delivery_options = delivery.options;
    cart.delivery = delivery.selected;
    cart.shipping_total = delivery.shippingTotal;
    cart.total += delivery.shippingTotal;
  }
  return JSON.stringify(cart);
}

/**
 * A checked-out cart with the discounts and delivery of the order it became,
 * as they were placed (not worked out again: the codes may have been used up
 * since, by this very order). The order's items are the cart's lines, in id order.
 */
function placedBody(cart: CartBody, orderBody: string): string {
  const order = JSON.parse(orderBody) as {
    items: Array<{ discount_allocations: unknown }>;
    discounts: Array<{ code: string; amount: number }>;
    discount_total: number;
    delivery?: { option_id: string; name: string; amount: number } | null;
    shipping_total?: number;
    total: number;
  };
  cart.items.forEach((item, index) => {
    item.discount_allocations = order.items[index]?.discount_allocations ?? [];
  });
  cart.discount_codes = order.discounts.map(({ code, amount }) => ({ code, applicable: true, amount }));
  cart.discount_total = order.discount_total;
  cart.delivery = order.delivery ? { ...order.delivery, applicable: true } : null;
  cart.shipping_total = order.shipping_total ?? 0;
  cart.total = order.total;
  return JSON.stringify(cart);
}

/** The delivery facts of rules.ts for a cart document: its selection and the selected rate (none: no cart). */
export function selectionFacts(document: CartDocument | undefined) {
  const data = document?.delivery == null ? undefined : (JSON.parse(document.delivery) as DeliveryData);
  const row = data?.rates.find((rate) => rate[0] === data.selected);
  return {
    selected: data?.selected != null,
    rate: rateFactsOf(row === undefined ? undefined : rateRecordOf(row), data?.addressed ?? false),
  };
}
