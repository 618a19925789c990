import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../app-env.js';
import * as defaultCart from '../../cart/default-cart.js';
import { isPlainObject, pythonTypeName, readBody } from '../../lib/body.js';
import { currencyExponent, minorToDecimal } from '../../lib/money.js';
import { type ClassicItem, createItemBody, fieldErrors, updateItemBody } from './classic.schemas.js';

type Ctx = Context<AppEnv>;

/** The tutorial's envelope for an error: `{"status":"error","data":{…}}`. */
export const classicError = (c: Context, status: ContentfulStatusCode, data: Record<string, unknown>) =>
  c.json({ status: 'error', data }, status);

const notFound = (c: Ctx) => classicError(c, 404, { detail: 'Not found.' });

const toItem = (line: defaultCart.ClassicLine, exponent: number): ClassicItem => ({
  id: line.id,
  product_name: line.name,
  product_price: minorToDecimal(line.unitPrice, exponent),
  product_quantity: line.quantity,
});

async function cartExponent(c: Ctx): Promise<number> {
  const currency = await defaultCart.defaultCurrency(c.var.db);
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

export async function listItems(c: Ctx) {
  const [exponent, lines] = await Promise.all([cartExponent(c), defaultCart.listLines(c.var.db)]);
  return c.json({ status: 'success', data: lines.map((line) => toItem(line, exponent)) }, 200);
}

export async function createItem(c: Ctx) {
  const body = await objectBody(c);
  if (body instanceof Response) return body;
  const exponent = await cartExponent(c);
  const parsed = createItemBody(exponent).safeParse(body);
  if (!parsed.success) return classicError(c, 400, fieldErrors(parsed.error));
  const { product_name: name, product_price: unitPrice, product_quantity: quantity } = parsed.data;
  const line = await defaultCart.addLine(c.var.db, { name, unitPrice, quantity }, c.var.now());
  return c.json({ status: 'success', data: toItem(line, exponent) }, 200);
}

export async function getItem(c: Ctx) {
  const id = itemId(c);
  const line = id === undefined ? undefined : await defaultCart.getLine(c.var.db, id);
  if (!line) return notFound(c);
  return c.json({ status: 'success', data: toItem(line, await cartExponent(c)) }, 200);
}

export async function updateItem(c: Ctx) {
  const id = itemId(c);
  if (id === undefined) return notFound(c);
  const body = await objectBody(c);
  if (body instanceof Response) return body;
  const exponent = await cartExponent(c);
  const parsed = updateItemBody(exponent).safeParse(body);
  if (!parsed.success) return classicError(c, 400, fieldErrors(parsed.error));
  const { product_name: name, product_price: unitPrice, product_quantity: quantity } = parsed.data;
  const change = Object.fromEntries(
    Object.entries({ name, unitPrice, quantity }).filter(([, value]) => value !== undefined),
  );
  const line =
    Object.keys(change).length === 0
      ? await defaultCart.getLine(c.var.db, id)
      : await defaultCart.updateLine(c.var.db, id, change, c.var.now());
  if (!line) return notFound(c);
  return c.json({ status: 'success', data: toItem(line, exponent) }, 200);
}

export async function deleteItem(c: Ctx) {
  const id = itemId(c);
  if (id === undefined || !(await defaultCart.deleteLine(c.var.db, id, c.var.now()))) return notFound(c);
  return c.json({ status: 'success', data: 'Item Deleted' }, 200);
}
