import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.js';
import type { AttachRefusal } from '../../../cart/refusals.js';
import type { CodeOutcome, DiscountInput, DiscountRow } from '../../../data/discounts.js';
import { problem } from '../../../platform/problem.js';
import { changeContext, refused, sendCart } from '../cart-answers.js';
import { keyCursor, keyedPage } from '../paging.js';
import { refusalProblem } from '../refusals.js';
import type * as r from './discounts.routes.js';
import { CODE, type DiscountView } from './discounts.schemas.js';

type Ctx = Context<AppEnv>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const amounts = (json: string | null) => (json === null ? null : (JSON.parse(json) as Record<string, number>));

/** A stored discount as API.md §7 shows it. */
export const discountView = (row: DiscountRow): DiscountView => ({
  code: row.code,
  kind: row.kind,
  percent_off_bp: row.percentOffBp,
  amount_off: amounts(row.amountOff),
  min_subtotal: amounts(row.minSubtotal),
  starts_at: iso(row.startsAt),
  ends_at: iso(row.endsAt),
  max_redemptions: row.maxRedemptions,
  redemptions: row.redemptions,
  active: row.active,
  version: row.version,
  created_at: iso(row.createdAt) as string,
  updated_at: iso(row.updatedAt) as string,
});

const sendDiscount = <S extends 200 | 201>(c: Ctx, row: DiscountRow, status: S) => {
  c.header('ETag', `"${row.version}"`);
  return c.json(discountView(row), status);
};

const noDiscount = (c: Ctx) => problem(c, 404, 'not-found', 'No discount with that code.');
/** A code in upper case: ASCII letters only, so no other letter's case mapping can make one (ß → SS). */
export const upperCode = (code: string) => code.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
const codeOf = (c: Ctx) => upperCode(c.req.param('code') ?? '');

export const putDiscount: RouteHandler<typeof r.putDiscount, AppEnv> = async (c) => {
  const code = codeOf(c);
  const body = c.req.valid('json');
  const issue = !CODE.test(code)
    ? { path: 'code', message: '3 to 32 characters of A-Z a-z 0-9 _ -' }
    : body.code !== undefined && upperCode(body.code) !== code
      ? { path: 'code', message: 'Must match the code in the path' }
      : undefined;
  if (issue !== undefined)
    return problem(c, 422, 'validation-failed', 'The request body has 1 invalid field.', [issue]);
  const time = (value: string | null | undefined) => (value == null ? null : Date.parse(value));
  const input: DiscountInput = {
    code,
    kind: body.kind,
    percentOffBp: body.percent_off_bp ?? null,
    amountOff: body.amount_off ?? null,
    minSubtotal: body.min_subtotal ?? null,
    startsAt: time(body.starts_at),
    endsAt: time(body.ends_at),
    maxRedemptions: body.max_redemptions ?? null,
    active: body.active,
  };
  const { created, row } = await c.get('store').discounts.put(input, c.get('now')());
  return created ? sendDiscount(c, row, 201) : sendDiscount(c, row, 200);
};

export const getDiscount: RouteHandler<typeof r.getDiscount, AppEnv> = async (c) => {
  const row = await c.get('store').discounts.get(codeOf(c));
  return row === undefined ? noDiscount(c) : sendDiscount(c, row, 200);
};

export const deleteDiscount: RouteHandler<typeof r.deleteDiscount, AppEnv> = async (c) => {
  const gone = await c.get('store').discounts.remove(codeOf(c), c.get('now')());
  return gone ? c.body(null, 204) : noDiscount(c);
};

const cursors = keyCursor('d');

export const listDiscounts: RouteHandler<typeof r.listDiscounts, AppEnv> = async (c) => {
  const page = await keyedPage(
    c,
    c.req.valid('query'),
    cursors,
    'code',
    (limit, after) => c.get('store').discounts.list(limit, after),
    discountView,
  );
  if ('refused' in page) return page.refused;
  return c.json({ discounts: page.items, next_cursor: page.next }, 200);
};

/** The answer to an attach. */
function answer(c: Ctx, outcome: CodeOutcome<AttachRefusal>) {
  if (outcome.applied) return sendCart(c, outcome.cart, 200);
  // Attaching a code the cart holds changes nothing: the cart as it is.
  if (outcome.refusal === 'code-attached' && outcome.cart) return sendCart(c, outcome.cart, 200);
  if (outcome.refusal.startsWith('code-') || outcome.refusal === 'codes-full') {
    const reason = outcome.refusal === 'codes-full' ? 'full' : outcome.refusal.slice('code-'.length);
    return refusalProblem(c, outcome.refusal, outcome.message, 'code', { reason });
  }
  return refused(c, outcome);
}

export const attachCode: RouteHandler<typeof r.attachCode, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const code = upperCode(c.req.valid('json').code);
  return answer(c, await c.get('store').discounts.attach({ ...m, code }));
};

export const detachCode: RouteHandler<typeof r.detachCode, AppEnv> = async (c) => {
  const m = changeContext(c);
  if (m instanceof Response) return m;
  const outcome = await c.get('store').discounts.detach({ ...m, code: codeOf(c) });
  return outcome.applied ? sendCart(c, outcome.cart, 200) : refused(c, outcome);
};
