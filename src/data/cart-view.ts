import { deliveryOf, rateFactsOf } from '../cart/delivery.js';
import { type CartDiscounts, discountsOf } from '../cart/discounts.js';
import { type AttachedCode, bodyOf, type CartBody, type CartDocument, codeRecordOf, codesOf } from './cart-json.js';
import { type DeliveryData, rateRecordOf } from './delivery-sql.js';

/*
 * The cart as a read shows it: the body the database built, with what only
 * JavaScript works out exactly (API.md §7 discounts, §10 delivery) filled in.
 */

/*
 * A read answers the body as the database wrote it, with the fields only
 * JavaScript works out written into it in place: each line's
 * `discount_allocations` and the block of totals from `discount_codes` to
 * `total`. Parsing and writing again the whole body was most of the cost of
 * a read of a cart with a code (README, Performance). The lines' ids and
 * totals come from the database as a column of their own (cart-json.ts
 * pricedLinesJson), never from the body's text; the body's text is searched
 * only for the two markers the database writes (an empty array as a value,
 * which no buyer's text or metadata value can be: metadata values are
 * strings, numbers or booleans, and a quote inside a string is escaped).
 */

/** The totals block as the database writes it (cart-json.ts cartJson), up to the total's digits. */
const TOTALS =
  '"discount_codes":[],"discount_total":0,"delivery_options":[],"delivery":null,"shipping_total":0,"total":';
const NO_ALLOCATIONS = '"discount_allocations":[]';

/** A document's lines, each with its id and total, in id order (none read: the cart holds no code). */
const pricedLines = (document: CartDocument) =>
  (JSON.parse(document.lines ?? '[]') as Array<[number, number]>).map(([id, total]) => ({ id, total }));

/** The discounts of a cart document at `now`; undefined when it holds no code. */
export function documentDiscounts(document: CartDocument, now: number): CartDiscounts | undefined {
  if (document.codes === '[]') return undefined;
  return discountsOf(pricedLines(document), codesOf(document).map(codeRecordOf), now);
}

/**
 * The cart resource as shown at `now`: the body as read when the cart holds
 * no code, no shipping address and no delivery (the common case); else with
 * its discounts (API.md §7) and then its delivery (§10, judged on the total
 * after discounts) worked out; for a checked-out cart, those of its order.
 */
export function shownBody(document: CartDocument, now: number): string {
  if (document.codes === '[]' && document.delivery === null) return document.body;
  if (document.order !== null) return placedBody(bodyOf(document), document.order);
  const seen = worked.get(document.body);
  if (seen?.codes === document.codes && seen.delivery === document.delivery && seen.from <= now && now < seen.until)
    return seen.text;
  const text = workedOut(document, now);
  const { from, until } = steadyAround(codesOf(document), now);
  forget(document.body);
  const size = document.body.length + text.length;
  if (size > REMEMBERED_CHARS / 16) return text;
  worked.set(document.body, { codes: document.codes, delivery: document.delivery, from, until, text, size });
  kept += size;
  // The least recently worked out go first (a Map keeps insertion order).
  while (kept > REMEMBERED_CHARS) forget(worked.keys().next().value as string);
  return text;
}

/** How much worked-out text a process (an isolate on Workers) keeps, in characters: about 8 MB. */
const REMEMBERED_CHARS = 4_000_000;
let kept = 0;
/** What the worked-out views take now: how many, and how many characters (at most about 4 M). */
export const viewMemory = () => ({ entries: worked.size, chars: kept });
const forget = (body: string) => {
  kept -= worked.get(body)?.size ?? 0;
  worked.delete(body);
};

/**
 * The carts this process worked out last, by the body as read: what a read
 * shows is a function of the document's text (body, codes, delivery) and of
 * the time only through the codes' `starts_at` and `ends_at`, so a worked-out
 * cart is shown again unchanged while the document is the same and the time
 * is in the span `from` ≤ now < `until` over which no code starts or ends.
 */
const worked = new Map<
  string,
  { codes: string; delivery: string | null; from: number; until: number; text: string; size: number }
>();

/** The span around `now` in which no attached code starts or ends, so no code's judgement moves (rules.ts codeChecks). */
function steadyAround(codes: AttachedCode[], now: number) {
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  for (const code of codes)
    for (const moment of [code[6], code[7]]) {
      if (moment === null) continue;
      if (moment <= now) from = Math.max(from, moment);
      else until = Math.min(until, moment);
    }
  return { from, until };
}

/** shownBody, worked out afresh. */
function workedOut(document: CartDocument, now: number): string {
  const { body } = document;
  const start = body.indexOf(TOTALS);
  if (start < 0) throw new Error('a cart body without its totals');
  let end = start + TOTALS.length;
  while (body.charCodeAt(end) >= 48 && body.charCodeAt(end) <= 57) end++;
  // The database writes the total as the subtotal: nothing taken, nothing added.
  let merchandise = Number(body.slice(start + TOTALS.length, end));
  let head = body.slice(0, start);
  let codes = '[]';
  let discountTotal = 0;
  if (document.codes !== '[]') {
    const lines = pricedLines(document);
    const discounts = discountsOf(lines, codesOf(document).map(codeRecordOf), now);
    const parts: string[] = [];
    let from = 0;
    for (const line of lines) {
      const at = head.indexOf(NO_ALLOCATIONS, from);
      if (at < 0) throw new Error('a cart body with fewer lines than it holds');
      parts.push(head.slice(from, at), `"discount_allocations":${JSON.stringify(discounts.lines.get(line.id) ?? [])}`);
      from = at + NO_ALLOCATIONS.length;
    }
    head = parts.join('') + head.slice(from);
    codes = JSON.stringify(discounts.view);
    discountTotal = discounts.discountTotal;
    merchandise = discounts.total;
  }
  let options = '[]';
  let selected = 'null';
  let shipping = 0;
  if (document.delivery !== null) {
    const data = deliveryDataOf(document) as DeliveryData;
    const delivery = deliveryOf(
      data.rates.map(rateRecordOf),
      data.addressed,
      merchandise,
      data.selected === null ? null : { id: data.selected, name: data.name ?? data.selected },
    );
    options = JSON.stringify(delivery.options);
    selected = JSON.stringify(delivery.selected);
    shipping = delivery.shippingTotal;
  }
  return `${head}"discount_codes":${codes},"discount_total":${discountTotal},"delivery_options":${options},"delivery":${selected},"shipping_total":${shipping},"total":${merchandise + shipping}${body.slice(end)}`;
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
  const data = deliveryDataOf(document);
  const row = data?.rates.find((rate) => rate[0] === data.selected);
  return {
    selected: data?.selected != null,
    rate: rateFactsOf(row === undefined ? undefined : rateRecordOf(row), data?.addressed ?? false),
  };
}

/** What a document's delivery is worked out from (delivery-sql.ts deliveryJson), parsed; none without an address or a selection. */
export const deliveryDataOf = (document: CartDocument | undefined): DeliveryData | undefined =>
  document?.delivery == null ? undefined : (JSON.parse(document.delivery) as DeliveryData);
