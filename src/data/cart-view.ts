import { deliveryOf, rateFactsOf } from '../cart/delivery.js';
import { type CartDiscounts, discountsOf } from '../cart/discounts.js';
import {
  cartTax,
  STANDARD_CATEGORY,
  type TaxLine,
  type TaxSetting,
  type TaxStatus,
  taxSettingOf,
} from '../cart/tax.js';
import { type AttachedCode, bodyOf, type CartBody, type CartDocument, codeRecordOf, codesOf } from './cart-json.js';
import { type DeliveryData, rateRecordOf } from './delivery-sql.js';
import { type TaxData, taxRatesOf } from './tax-sql.js';

/*
 * The cart as a read shows it: the body the database built, with what only
 * JavaScript works out exactly (API.md §7 discounts, §10 delivery, §11 tax)
 * filled in.
 */

/*
 * A read answers the body as the database wrote it, with the fields only
 * JavaScript works out written into it in place: each line's
 * `discount_allocations` and `tax_lines`, and the block of totals from
 * `discount_codes` to `total`. Parsing and writing again the whole body was most of the cost of
 * a read of a cart with a code (README, Performance). The lines' ids and
 * totals come from the database as a column of their own (cart-json.ts
 * pricedLinesJson), never from the body's text; the body's text is searched
 * only for the two markers the database writes (an empty array as a value,
 * which no buyer's text or metadata value can be: metadata values are
 * strings, numbers or booleans, and a quote inside a string is escaped).
 */

/** The totals block as the database writes it (cart-json.ts cartJson), up to the total's digits. */
const TOTALS =
  '"discount_codes":[],"discount_total":0,"delivery_options":[],"delivery":null,"shipping_total":0,"shipping_tax_lines":[],"tax_total":0,"prices_include_tax":false,"tax_status":"not_applicable","total":';
/** The warnings as the database writes them (cart-json.ts cartJson), right after the total. */
const WARNINGS = '"warnings":[]';

/**
 * A line the stock does not cover (README, Stock), as a cart's warning and
 * a checkout's `insufficient-stock` error show it.
 */
export const shortLine = (lineId: number, available: number) => ({
  path: `items.${lineId}`,
  message: `Only ${available} available.`,
  available,
});

/** The `insufficient-stock` warnings of a document's short lines. */
const stockWarnings = (stock: string) =>
  (JSON.parse(stock) as Array<[number, number]>).map(([id, available]) => ({
    code: 'insufficient-stock',
    ...shortLine(id, available),
  }));

/**
 * What a read shows besides the cart: its tax setting, and whether it warns
 * of lines the stock does not cover (INVENTORY=track or reserve).
 */
export interface ViewSetting {
  tax: TaxSetting;
  stock: boolean;
}

/** A configuration's view setting. */
export const viewSettingOf = (config: Parameters<typeof taxSettingOf>[0] & { INVENTORY: string }): ViewSetting => ({
  tax: taxSettingOf(config),
  stock: config.INVENTORY !== 'none',
});

/** A line's worked-out fields as the database writes them (cart-json.ts lineJson). */
const LINE_FIELDS = '"discount_allocations":[],"tax_lines":[]';

/** A document's lines, each with its id, total and tax category, in id order (none read: no code, no tax). */
const pricedLines = (document: CartDocument) =>
  (JSON.parse(document.lines ?? '[]') as Array<[number, number, string | null]>).map(([id, total, category]) => ({
    id,
    total,
    category: category ?? STANDARD_CATEGORY,
  }));

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
export function shownBody(document: CartDocument, now: number, view: ViewSetting): string {
  const { tax } = view;
  const stock = view.stock ? document.stock : null;
  if (tax.mode === 'none' && document.codes === '[]' && document.delivery === null && stock === null)
    return document.body;
  if (document.order !== null) return placedBody(bodyOf(document), document.order, tax);
  const setting = `${tax.mode}|${tax.inclusive}`;
  const seen = worked.get(document.body);
  if (
    seen?.codes === document.codes &&
    seen.delivery === document.delivery &&
    seen.tax === document.tax &&
    seen.lines === document.lines &&
    seen.stock === stock &&
    seen.setting === setting &&
    seen.from <= now &&
    now < seen.until
  )
    return edited(document.body, seen.edits);
  const edits = workedEdits(document, now, tax, stock);
  const { from, until } = steadyAround(codesOf(document), now);
  forget(document.body);
  const size = edits.reduce((sum, edit) => sum + edit[2].length, document.body.length);
  if (size <= REMEMBERED_CHARS / 16) {
    const { codes, delivery, lines } = document;
    worked.set(document.body, { codes, delivery, tax: document.tax, lines, stock, setting, from, until, edits, size });
    kept += size;
    // The least recently worked out go first (a Map keeps insertion order).
    while (kept > REMEMBERED_CHARS) forget(worked.keys().next().value as string);
  }
  return edited(document.body, edits);
}

/**
 * What JavaScript writes into a body, as edits of its text in order: each
 * replaces `body[from, to)` with `text`. A body's text fixes where its
 * markers lie, so the edits of a body remembered apply to the same body read again.
 */
type Edit = [from: number, to: number, text: string];

/** `body` with `edits` made. */
function edited(body: string, edits: readonly Edit[]): string {
  let text = '';
  let at = 0;
  for (const [from, to, put] of edits) {
    text += body.slice(at, from) + put;
    at = to;
  }
  return text + body.slice(at);
}

/** How much a process (an isolate on Workers) keeps of bodies and the text written into them, in characters: about 8 MB. */
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
 * shows is a function of the document's text (body, codes, delivery, tax,
 * lines), of the tax setting, and of the time only through the codes'
 * `starts_at` and `ends_at`, so a worked-out cart is shown again unchanged
 * while the document and the setting are the same and the time is in the
 * span `from` ≤ now < `until` over which no code starts or ends.
 */
const worked = new Map<
  string,
  {
    codes: string;
    delivery: string | null;
    tax: string | null;
    lines: string | null;
    stock: string | null;
    setting: string;
    from: number;
    until: number;
    edits: Edit[];
    size: number;
  }
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

/**
 * Everything a cart shows that JavaScript works out, at `now`: its
 * discounts (API.md §7), its delivery (§10, judged on the total after
 * discounts) and its tax (§11), and where the body's totals block lies.
 */
export function workedFigures(document: CartDocument, now: number, setting: TaxSetting) {
  const { body } = document;
  const start = body.indexOf(TOTALS);
  if (start < 0) throw new Error('a cart body without its totals');
  let end = start + TOTALS.length;
  while (body.charCodeAt(end) >= 48 && body.charCodeAt(end) <= 57) end++;
  // The database writes the total as the subtotal: nothing taken, nothing added.
  const subtotal = Number(body.slice(start + TOTALS.length, end));
  const lines = pricedLines(document);
  const discounts = document.codes === '[]' ? undefined : discountsOf(lines, codesOf(document).map(codeRecordOf), now);
  const merchandise = discounts?.total ?? subtotal;
  const data = deliveryDataOf(document);
  const delivery =
    data === undefined
      ? undefined
      : deliveryOf(
          data.rates.map(rateRecordOf),
          data.addressed,
          merchandise,
          data.selected === null ? null : { id: data.selected, name: data.name ?? data.selected },
        );
  const shipping = delivery?.shippingTotal ?? 0;
  const category = delivery?.selected?.applicable
    ? (data?.rates.find((row) => row[0] === data.selected)?.[8] ?? null)
    : null;
  const tax = taxOf(document, setting, lines, discounts, { amount: shipping, category });
  // Exact even where tax takes it past 2^53 − 1 (such a cart cannot be checked out): the digits are BigInt's.
  const total = (BigInt(merchandise) + BigInt(shipping) + BigInt(setting.inclusive ? 0 : tax.total)).toString();
  return { start, end, lines, discounts, merchandise, delivery, shipping, tax, total };
}

/** The edits that write what shownBody shows into a body, worked out afresh. */
function workedEdits(document: CartDocument, now: number, setting: TaxSetting, stock: string | null): Edit[] {
  const f = workedFigures(document, now, setting);
  const edits = lineEdits(document.body, f.start, f.lines, f.discounts, f.tax.lines);
  const codes = f.discounts === undefined ? '[]' : JSON.stringify(f.discounts.view);
  const options = JSON.stringify(f.delivery?.options ?? []);
  const selected = JSON.stringify(f.delivery?.selected ?? null);
  edits.push([
    f.start,
    f.end,
    `"discount_codes":${codes},"discount_total":${f.discounts?.discountTotal ?? 0},"delivery_options":${options},"delivery":${selected},"shipping_total":${f.shipping},"shipping_tax_lines":${JSON.stringify(f.tax.shipping)},"tax_total":${f.tax.total},"prices_include_tax":${setting.inclusive},"tax_status":"${f.tax.status}","total":${f.total}`,
  ]);
  if (stock !== null) {
    // The database writes `"warnings":[]` right after the total.
    const at = f.end + 1;
    if (!document.body.startsWith(WARNINGS, at)) throw new Error('a cart body without its warnings');
    edits.push([at, at + WARNINGS.length, `"warnings":${JSON.stringify(stockWarnings(stock))}`]);
  }
  return edits;
}

/** The edits writing each line's discount allocations and tax lines into the lines part of a body (before `end`), where it has any. */
function lineEdits(
  body: string,
  end: number,
  lines: ReturnType<typeof pricedLines>,
  discounts: CartDiscounts | undefined,
  taxes: Map<number, TaxLine[]>,
): Edit[] {
  const edits: Edit[] = [];
  if (discounts === undefined && taxes.size === 0) return edits;
  let from = 0;
  for (const line of lines) {
    const at = body.indexOf(LINE_FIELDS, from);
    if (at < 0 || at >= end) throw new Error('a cart body with fewer lines than it holds');
    const allocations = JSON.stringify(discounts?.lines.get(line.id) ?? []);
    from = at + LINE_FIELDS.length;
    edits.push([
      at,
      from,
      `"discount_allocations":${allocations},"tax_lines":${JSON.stringify(taxes.get(line.id) ?? [])}`,
    ]);
  }
  return edits;
}

/** What a cart's tax comes to: each line's tax lines, the shipping's, their sum and the status (API.md §11). */
function taxOf(
  document: CartDocument,
  setting: TaxSetting,
  lines: ReturnType<typeof pricedLines>,
  discounts: CartDiscounts | undefined,
  shipping: { amount: number; category: string | null },
): { lines: Map<number, TaxLine[]>; shipping: TaxLine[]; total: number; status: TaxStatus } {
  const none = { lines: new Map<number, TaxLine[]>(), shipping: [], total: 0 };
  if (setting.mode === 'none') return { ...none, status: 'not_applicable' };
  const data = taxDataOf(document);
  if (setting.mode === 'external') {
    const external = data?.external;
    if (external == null) return { ...none, status: 'pending' };
    const shown = new Map(lines.map((line) => [line.id, external.items[line.id] ?? []]));
    let total = 0n;
    for (const taxLine of [...[...shown.values()].flat(), ...external.shipping]) total += BigInt(taxLine.amount);
    return {
      lines: shown,
      shipping: external.shipping,
      total: Number(total),
      status: data?.at === document.version ? 'ready' : 'stale',
    };
  }
  if (data?.place == null) return { ...none, status: 'pending' };
  const taken = (id: number) =>
    (discounts?.lines.get(id) ?? []).reduce((sum, allocation) => sum + BigInt(allocation.amount), 0n);
  const tax = cartTax({
    lines: lines.map((line) => ({ id: line.id, base: BigInt(line.total) - taken(line.id), category: line.category })),
    shipping: shipping.category === null ? null : { base: BigInt(shipping.amount), category: shipping.category },
    rates: taxRatesOf(data),
    place: { country: data.place[0], region: data.place[1] },
    inclusive: setting.inclusive,
  });
  return { lines: tax.lines, shipping: tax.shipping, total: Number(tax.total), status: 'ready' };
}

/**
 * A checked-out cart with the discounts and delivery of the order it became,
 * as they were placed (not worked out again: the codes may have been used up
 * since, by this very order). The order's items are the cart's lines, in id order.
 */
function placedBody(cart: CartBody, orderBody: string, setting: TaxSetting): string {
  const order = JSON.parse(orderBody) as {
    items: Array<{ discount_allocations: unknown; tax_lines?: unknown }>;
    discounts: Array<{ code: string; amount: number }>;
    discount_total: number;
    delivery?: { option_id: string; name: string; amount: number } | null;
    shipping_total?: number;
    shipping_tax_lines?: unknown;
    tax_total?: number;
    prices_include_tax?: boolean;
    total: number;
  };
  cart.items.forEach((item, index) => {
    item.discount_allocations = order.items[index]?.discount_allocations ?? [];
    item.tax_lines = order.items[index]?.tax_lines ?? [];
  });
  cart.discount_codes = order.discounts.map(({ code, amount }) => ({ code, applicable: true, amount }));
  cart.discount_total = order.discount_total;
  cart.delivery = order.delivery ? { ...order.delivery, applicable: true } : null;
  cart.shipping_total = order.shipping_total ?? 0;
  cart.shipping_tax_lines = order.shipping_tax_lines ?? [];
  cart.tax_total = order.tax_total ?? 0;
  cart.prices_include_tax = order.prices_include_tax ?? false;
  // Checkout places an order only with its tax ready.
  cart.tax_status = setting.mode === 'none' ? 'not_applicable' : 'ready';
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

/** What a document's tax is worked out from (tax-sql.ts taxJson), parsed; none without an address or a tax set. */
export const taxDataOf = (document: CartDocument | undefined): TaxData | undefined =>
  document?.tax == null ? undefined : (JSON.parse(document.tax) as TaxData);
