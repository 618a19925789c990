import { z } from '@hono/zod-openapi';
import { ADDRESS_FIELDS, type AddressField } from '../../../cart/details.js';
import { LIMITS } from '../../../cart/limits.js';
import { currencyExponent } from '../../../cart/money.js';
import { cartDeliverySchema, deliveryOptionSchema } from './delivery.schemas.js';

export const codePoints = (text: string) => [...text].length;

/** An address as the examples of the document show it. */
export const ADDRESS_EXAMPLE: Record<AddressField, string | null> = {
  name: 'Ada Lovelace',
  company: null,
  line1: 'Marktplatz 1',
  line2: null,
  city: 'München',
  region: 'DE-BY',
  postal_code: '80331',
  country: 'DE',
  phone: null,
};

/**
 * Text with a lone surrogate cannot be stored as it was sent: each runtime
 * would replace it differently (one U+FFFD on Node, three on D1). Refused.
 */
export const wellFormed = (text: string) => text.isWellFormed();
export const WELL_FORMED = 'Must be well-formed Unicode (no lone surrogates)';

const record = z
  .record(
    z.string().refine(wellFormed, WELL_FORMED),
    z.union([z.string().refine(wellFormed, WELL_FORMED), z.number(), z.boolean()]),
  )
  .refine((value) => Object.keys(value).length <= LIMITS.metadataKeys, {
    message: `At most ${LIMITS.metadataKeys} keys`,
  })
  .refine((value) => new TextEncoder().encode(JSON.stringify(value)).length <= LIMITS.metadataBytes, {
    message: `At most ${LIMITS.metadataBytes} bytes of JSON`,
  });

/**
 * JSON.parse keeps a key `__proto__` as an ordinary property, but zod's
 * record (like any object assignment) silently drops it: a map holding one
 * is refused before parsing instead, so nothing a client sent is lost
 * without a word. Every map a body carries (metadata, prices, amounts) is
 * read through this.
 */
export const withoutProtoKey = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: 'The key __proto__ is reserved', path: ['__proto__'] });
    }
    return value;
  }, schema);

export const metadataSchema = withoutProtoKey(record).openapi('Metadata', {
  description: `At most ${LIMITS.metadataKeys} keys and ${LIMITS.metadataBytes} bytes as JSON; values are strings, numbers or booleans.`,
  maxProperties: LIMITS.metadataKeys,
  example: { color: 'blue' },
});

/** An id an admin chooses (a product's, a shipping rate's): 1 to 64 of A-Z a-z 0-9 . _ : - */
const ADMIN_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ADMIN_ID_RULE = '1 to 64 characters of A-Z a-z 0-9 . _ : -';

export const productIdSchema = z.string().regex(ADMIN_ID, ADMIN_ID_RULE).openapi({ example: 'sku-mug-blue' });

/** The path's id (the parameter `param`) must be such an id, and an id in the body must be the same. */
export function pathIdIssue(param: string, pathId: string, bodyId: string | undefined) {
  if (!ADMIN_ID.test(pathId)) return { path: param, message: ADMIN_ID_RULE };
  if (bodyId !== undefined && bodyId !== pathId) return { path: 'id', message: 'Must match the id in the path' };
  return undefined;
}

export const nameSchema = z
  .string()
  .trim()
  .refine((text) => text.length > 0, 'Must not be blank')
  .refine((text) => codePoints(text) <= LIMITS.nameMax, `At most ${LIMITS.nameMax} characters`)
  .refine((text) => !text.includes('\u0000'), 'Must not contain NUL characters')
  .refine(wellFormed, WELL_FORMED)
  .openapi({ example: 'Blue mug', minLength: 1, maxLength: LIMITS.nameMax });

export const unitPriceSchema = z
  .number()
  .int()
  .min(0)
  .max(LIMITS.unitPriceMax)
  .openapi({ description: "Integer count of the currency's minor unit (cents for EUR).", example: 1299 });

const quantity = (min: number) => z.number().int().min(min).max(LIMITS.quantityMax);

export const currencySchema = z
  .string()
  .refine((code) => currencyExponent(code) !== undefined, 'An ISO 4217 currency code such as EUR')
  .openapi({ example: 'EUR' });

export const addItemSchema = z
  .object({
    product_id: productIdSchema,
    name: nameSchema.optional().openapi({
      description:
        'With `PRICES=catalog` (the default) the name comes from the product; sending one needs the admin token. Required with `PRICES=client`.',
    }),
    unit_price: unitPriceSchema.optional().openapi({
      description:
        "Integer minor units. With `PRICES=catalog` (the default) the price is the product's in the cart's currency; sending one needs the admin token (a custom price). Required with `PRICES=client`.",
    }),
    quantity: quantity(1).default(1).openapi({ example: 2 }),
    metadata: metadataSchema.optional(),
  })
  .openapi('AddItem');

export const createCartSchema = z
  .object({
    currency: currencySchema.optional(),
    metadata: metadataSchema.optional(),
    items: z.array(addItemSchema).optional(),
  })
  .openapi('CreateCart');

export const updateItemSchema = z
  .object({
    quantity: quantity(0).optional().openapi({ description: '0 removes the line.', example: 3 }),
    metadata: metadataSchema.optional(),
  })
  .openapi('UpdateItem');

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' });

/** What one discount code takes from a line (API.md §7). */
export const allocationSchema = z
  .object({ code: z.string().openapi({ example: 'WELCOME10' }), amount: z.number().int().openapi({ example: 260 }) })
  .openapi('DiscountAllocation');

/** What one tax rate takes from a line or the shipping (API.md §11). */
export const taxLineSchema = z
  .object({
    rate_id: z
      .string()
      .nullable()
      .openapi({ description: 'The tax rate (`TAX=rates`); null for a tax a tax service set.', example: 'de-vat' }),
    name: z.string().openapi({ example: 'VAT 19%' }),
    rate_bp: z.number().int().openapi({ description: 'Basis points: 1900 is 19%.', example: 1900 }),
    amount: z.number().int().openapi({ example: 415 }),
  })
  .openapi('TaxLine');

const taxLines = (of: string) =>
  z.array(taxLineSchema).openapi({ description: `What each tax rate takes from ${of}; \`[]\` for none.` });

/** The tax fields a cart and an order show (API.md §11), but the lines'. */
export const taxTotals = {
  shipping_tax_lines: taxLines('the shipping'),
  tax_total: z
    .number()
    .int()
    .openapi({ description: 'Every tax line of the lines and the shipping, summed.', example: 415 }),
  prices_include_tax: z.boolean().openapi({
    description: 'Whether prices include tax (the tax is held in them) or exclude it (the tax is added to `total`).',
  }),
};

export const lineSchema = z
  .object({
    id: z.number().int().openapi({ example: 12 }),
    product_id: z
      .string()
      .nullable()
      .openapi({ description: 'Null for lines added through /api/cart-items/.', example: 'sku-mug-blue' }),
    name: z.string().openapi({ example: 'Blue mug' }),
    unit_price: z.number().int().openapi({ example: 1299 }),
    quantity: z.number().int().openapi({ example: 2 }),
    line_total: z.number().int().openapi({ example: 2598 }),
    metadata: metadataSchema,
    price_source: z.enum(['catalog', 'custom']).openapi({
      description:
        '`catalog`: priced from the product (checkout compares it again); `custom`: set by a trusted caller.',
    }),
    discount_allocations: z
      .array(allocationSchema)
      .openapi({ description: 'What each applicable code takes from this line, in the order the codes apply.' }),
    tax_lines: taxLines('this line (its total less its discount allocations)'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('CartLine');

/** An address as the cart shows it (API.md §10): every field, null where unset. */
export const addressSchema = z
  .object(
    Object.fromEntries(
      ADDRESS_FIELDS.map((field) => [field, z.string().nullable().openapi({ example: ADDRESS_EXAMPLE[field] })]),
    ) as Record<AddressField, z.ZodNullable<z.ZodString>>,
  )
  .openapi('Address');

/** A line the stock does not cover now (README, Stock): checkout would refuse it with `insufficient-stock`. */
export const stockWarningSchema = z.object({
  code: z.literal('insufficient-stock'),
  path: z.string().openapi({ description: '`items.<id>`: the line.', example: 'items.12' }),
  message: z.string().openapi({ example: 'Only 1 available.' }),
  available: z
    .number()
    .int()
    .openapi({ description: 'How many of the product the cart may hold in all, across its lines.', example: 1 }),
});

export const cartSchema = z
  .object({
    id: z.string().openapi({ example: 'crt_5J3kQm0aZ9xYw2VbN7cD1e' }),
    currency: z.string().openapi({ example: 'EUR' }),
    version: z.number().int().openapi({ example: 4 }),
    status: z.enum(['open', 'checked_out']).openapi({ description: 'A checked-out cart takes no more changes.' }),
    order_id: z.string().nullable().openapi({ description: 'The order a checked-out cart became.', example: null }),
    customer_id: z.string().nullable().openapi({
      description:
        'The customer the cart is bound to (created with their token, or merged on sign-in): it answers only to them and the admin. Null: anyone holding the id.',
      example: null,
    }),
    items: z.array(lineSchema),
    line_count: z.number().int().openapi({ example: 1 }),
    item_count: z.number().int().openapi({ example: 2 }),
    subtotal: z.number().int().openapi({ example: 2598 }),
    discount_codes: z
      .array(
        z
          .object({
            code: z.string().openapi({ example: 'WELCOME10' }),
            applicable: z.boolean(),
            reason: z
              .enum(['unknown', 'inactive', 'not-started', 'ended', 'exhausted', 'currency', 'minimum'])
              .optional()
              .openapi({ description: 'Why a code does not apply (only when `applicable` is false).' }),
            amount: z.number().int().openapi({ example: 260 }),
          })
          .openapi('CartDiscountCode'),
      )
      .openapi({ description: 'The attached codes, in the order they were attached (and apply).' }),
    discount_total: z.number().int().openapi({ example: 260 }),
    delivery_options: z.array(deliveryOptionSchema).openapi({
      description:
        'The active shipping rates that deliver to the shipping address in the cart’s currency and whose band holds `subtotal` − `discount_total`, by amount then id; `[]` without a shipping address.',
    }),
    delivery: cartDeliverySchema.nullable().openapi({
      description: 'The delivery selected (PUT /v1/carts/{cartId}/delivery); null for none.',
    }),
    shipping_total: z
      .number()
      .int()
      .openapi({ description: 'The selected delivery’s amount while it applies, else 0.', example: 0 }),
    ...taxTotals,
    tax_status: z.enum(['not_applicable', 'ready', 'pending', 'stale']).openapi({
      description:
        '`not_applicable` with `TAX=none`; `ready`: the tax shown is the one checkout charges; `pending`: no address to tax by yet (`TAX=rates`) or no tax set (`TAX=external`), no tax shown; `stale`: the tax set (`TAX=external`) is of an earlier version of the cart.',
    }),
    total: z.number().refine(Number.isInteger, 'An integer').openapi({
      type: 'integer',
      description:
        '`subtotal` − `discount_total` + `shipping_total`, + `tax_total` where prices exclude tax. Tax added may take it past 2^53 − 1; such a cart cannot be checked out (422).',
      example: 2338,
    }),
    warnings: z.array(stockWarningSchema).openapi({
      description:
        'With `INVENTORY=track` or `reserve`: each line of a tracked product the cart holds more of than it could check out now (README, Stock), with how many it may hold (`available`). Empty otherwise.',
    }),
    metadata: metadataSchema,
    email: z.string().nullable().openapi({ description: "The buyer's e-mail.", example: 'buyer@example.com' }),
    note: z.string().nullable().openapi({ description: "The buyer's note to the merchant.", example: null }),
    attributes: z
      .record(z.string(), z.string())
      .openapi({ description: 'Text the storefront keeps with the cart, by key.', example: { gift: 'yes' } }),
    shipping_address: addressSchema.nullable(),
    billing_address: addressSchema.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    expires_at: timestamp.nullable().openapi({ description: 'Null for the default cart, which never expires.' }),
  })
  .openapi('Cart');

export const cartIdParam = z.object({
  cartId: z.string().openapi({ param: { name: 'cartId', in: 'path' }, example: 'crt_5J3kQm0aZ9xYw2VbN7cD1e' }),
});

export const itemParams = cartIdParam.extend({
  itemId: z.string().openapi({ param: { name: 'itemId', in: 'path' }, example: '12' }),
});

/** The cart resource as a client receives it. */
export type CartView = z.infer<typeof cartSchema>;
