import { z } from '@hono/zod-openapi';
import {
  ADDRESS_FIELDS,
  type AddressField,
  DETAILS_LIMITS,
  isCountry,
  isRegion,
  regionOf,
} from '../../../cart/details.js';
import { ADDRESS_EXAMPLE, codePoints, WELL_FORMED, wellFormed, withoutProtoKey } from './carts.schemas.js';

/* The merge patch of a cart's details (API.md §10): what each value may be. */

/** Free text of at most `max` code points: well-formed, no NUL, not blank (the rules of a line's name). */
const text = (max: number) =>
  z
    .string()
    .trim()
    .refine((value) => value.length > 0, 'Must not be blank')
    .refine((value) => codePoints(value) <= max, `At most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'Must not contain NUL characters')
    .refine(wellFormed, WELL_FORMED);

const country = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isCountry, 'An ISO 3166-1 alpha-2 country code such as DE')
  .openapi({ description: 'ISO 3166-1 alpha-2, in either case; stored in upper case.', example: 'DE' });
const region = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isRegion, 'An ISO 3166-2 subdivision code such as US-CA')
  .openapi({ description: "ISO 3166-2, of the address's country.", example: 'DE-BY' });

const fieldSchema = (field: AddressField) =>
  (field === 'country' ? country : field === 'region' ? region : text(DETAILS_LIMITS.addressFieldMax))
    .nullable()
    .optional()
    .openapi({ example: ADDRESS_EXAMPLE[field] });

/** An address's patch: each field merges on its own; `null` removes one. */
const addressPatch = z
  .strictObject(
    Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, fieldSchema(field)])) as Record<
      AddressField,
      ReturnType<typeof fieldSchema>
    >,
  )
  .superRefine((address, ctx) => {
    const { region: code, country: of } = address;
    if (typeof code === 'string' && typeof of === 'string' && !regionOf(code, of))
      ctx.addIssue({ code: 'custom', message: `Must be a subdivision of ${of}`, path: ['region'] });
  })
  .nullable()
  .optional()
  .openapi('AddressPatch', {
    description: `Fields of at most ${DETAILS_LIMITS.addressFieldMax} characters; the address must keep \`line1\`, \`city\` and \`country\`. \`null\` removes the address.`,
  });

const email = z
  .string()
  .max(DETAILS_LIMITS.emailMax)
  .refine((value) => value.split('@').length === 2 && !/\s/.test(value), 'One @ and no spaces')
  .openapi({ example: 'buyer@example.com' });

const attributes = withoutProtoKey(
  z.record(
    z.string().refine(wellFormed, WELL_FORMED),
    z
      .string()
      .refine((value) => codePoints(value) <= DETAILS_LIMITS.attributeValueMax, {
        message: `At most ${DETAILS_LIMITS.attributeValueMax} characters`,
      })
      .refine(wellFormed, WELL_FORMED)
      .nullable(),
  ),
)
  .nullable()
  .optional()
  .openapi({
    description: `Text by key, at most ${DETAILS_LIMITS.attributes} keys; \`null\` removes a key (or, for the whole, every key).`,
    example: { gift: 'yes' },
  });

/** The body of `PATCH /v1/carts/{cartId}`. */
export const detailsPatchSchema = z
  .strictObject({
    email: email.nullable().optional(),
    note: z
      .string()
      .refine((value) => codePoints(value) <= DETAILS_LIMITS.noteMax, `At most ${DETAILS_LIMITS.noteMax} characters`)
      .refine(wellFormed, WELL_FORMED)
      .nullable()
      .optional()
      .openapi({ example: 'Please ring twice.' }),
    attributes,
    shipping_address: addressPatch,
    billing_address: addressPatch,
  })
  .openapi('CartDetailsPatch', {
    description:
      'A JSON Merge Patch (RFC 7396) of the cart: a member left out stays, `null` removes it, an address merges field by field.',
  });
