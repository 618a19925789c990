import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../app-env.js';
import { ANONYMOUS } from '../../cart/caller.js';
import type { LineChange } from '../../cart/changes.js';
import { DEFAULT_CART_ID } from '../../cart/ids.js';
import { currencyExponent, minorToDecimal } from '../../cart/money.js';
import type { Refusal } from '../../cart/refusals.js';
import { stateOf } from '../../data/cart-document.js';
import { reserveMinutesOf, reserving } from '../../data/guarded.js';
import { isPlainObject, pythonTypeName, readBody } from './body.js';
import { type ClassicItem, createItemBody, fieldErrors, updateItemBody } from './classic.schemas.js';

type Ctx = Context<AppEnv>;

/** The tutorial's envelope for an error: `{"status":"error","data":{…}}`. */
export const classicError = (c: Context, status: ContentfulStatusCode, data: Record<string, unknown>) =>
  c.json({ status: 'error', data }, status);

const notFound = (c: Context) => classicError(c, 404, { detail: 'Not found.' });

interface ClassicLine {
  id: number;
  name: string;
  unitPrice: number;
  quantity: number;
}

const toItem = (line: ClassicLine, exponent: number): ClassicItem => ({
  id: line.id,
  product_name: line.name,
  product_price: minorToDecimal(line.unitPrice, exponent),
  product_quantity: line.quantity,
});

function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new Error(`the default cart has an unknown currency ${currency}`);
  return exponent;
}

/** Ids as Django's `<int:pk>` matched them; anything else is simply not found. */
function itemId(c: Ctx): number | undefined {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

/** The body as a plain object, or the error response DRF would give. */
async function objectBody(c: Ctx): Promise<Record<string, unknown> | Response> {
  const body = await readBody(c);
  if (!body.ok) {
    return body.reason === 'malformed'
      ? classicError(c, 400, { detail: body.detail })
      : classicError(c, 415, { detail: `Unsupported media type "${body.mediaType}" in request.` });
  }
  if (body.value === null) return classicError(c, 400, { non_field_errors: ['No data provided'] });
  if (!isPlainObject(body.value)) {
    const got = pythonTypeName(body.value);
    return classicError(c, 400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
  }
  return body.value;
}

/**
 * A refusal of the cart rules in the tutorial's envelope: a missing line is
 * its 404, a quantity rule is a `product_quantity` error, any other rule a
 * `non_field_errors` one. The words are the rule's own.
 */
function refusalError(c: Ctx, refusal: Refusal, message: string) {
  if (refusal === 'line-not-found' || refusal === 'cart-not-found') return notFound(c);
  const field =
    refusal === 'quantity-over-limit' || refusal === 'quantity-under-limit' ? 'product_quantity' : 'non_field_errors';
  return classicError(c, 400, { [field]: [message] });
}

const onDefaultCart = (c: Ctx) => ({
  cartId: DEFAULT_CART_ID,
  now: c.get('now')(),
  ttlDays: c.get('config').CART_TTL_DAYS,
  reserveMinutes: reserveMinutesOf(c.get('config')),
  when: {},
  // The default cart is bound to no customer: every caller the classic surface lets through sees it.
  caller: ANONYMOUS,
});

/** A change to the default cart through the same store and rules as /v1; the item it leaves, or the refusal. */
async function changeDefaultCart(c: Ctx, change: LineChange, exponent: number, lineId?: number) {
  const outcome = await c.get('store').carts.change(onDefaultCart(c), change);
  if (!outcome.applied) return refusalError(c, outcome.refusal, outcome.message);
  const id = lineId ?? outcome.lineId;
  const line = stateOf(outcome.cart, ANONYMOUS).lines.find((row) => row.id === id);
  if (!line) throw new Error('a changed line could not be read back');
  return c.json({ status: 'success', data: toItem(line, exponent) }, 200);
}

export async function listItems(c: Ctx) {
  const [found, currency] = await Promise.all([
    c.get('store').carts.state(DEFAULT_CART_ID, c.get('now')(), ANONYMOUS, reserving(c.get('config'))),
    c.get('store').carts.defaultCurrency(),
  ]);
  if (!found) throw new Error('the default cart is missing: have the migrations been applied?');
  const exponent = exponentOf(currency);
  return c.json({ status: 'success', data: found.lines.map((line) => toItem(line, exponent)) }, 200);
}

/** The body read and validated as the tutorial's serializer would, for the default cart's currency. */
async function validBody<T>(c: Ctx, schemaFor: (exponent: number) => z.ZodType<T>) {
  const body = await objectBody(c);
  if (body instanceof Response) return body;
  const exponent = exponentOf(await c.get('store').carts.defaultCurrency());
  const parsed = schemaFor(exponent).safeParse(body);
  if (!parsed.success) return classicError(c, 400, fieldErrors(parsed.error));
  return { exponent, value: parsed.data };
}

export async function createItem(c: Ctx) {
  const valid = await validBody(c, createItemBody);
  if (valid instanceof Response) return valid;
  const { product_name: name, product_price: unitPrice, product_quantity: quantity } = valid.value;
  const line = { productId: null, name, unitPrice, quantity, metadata: '{}', priceSource: 'custom' as const };
  return changeDefaultCart(c, { kind: 'add', line }, valid.exponent);
}

export async function getItem(c: Ctx) {
  const id = itemId(c);
  const found = id === undefined ? undefined : await c.get('store').carts.line(DEFAULT_CART_ID, id);
  if (!found) return notFound(c);
  return c.json({ status: 'success', data: toItem(found, exponentOf(found.currency)) }, 200);
}

export async function updateItem(c: Ctx) {
  const id = itemId(c);
  if (id === undefined) return notFound(c);
  const valid = await validBody(c, updateItemBody);
  if (valid instanceof Response) return valid;
  const { product_name: name, product_price: unitPrice, product_quantity: quantity } = valid.value;
  if (name === undefined && unitPrice === undefined && quantity === undefined) return getItem(c);
  return changeDefaultCart(c, { kind: 'update', lineId: id, set: { name, unitPrice, quantity } }, valid.exponent, id);
}

export async function deleteItem(c: Ctx) {
  const id = itemId(c);
  if (id === undefined) return notFound(c);
  const outcome = await c.get('store').carts.change(onDefaultCart(c), { kind: 'remove', lineId: id });
  if (!outcome.applied) return refusalError(c, outcome.refusal, outcome.message);
  return c.json({ status: 'success', data: 'Item Deleted' }, 200);
}
