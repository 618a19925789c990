import { describe, expect, it } from 'vitest';
import { isCartId, isEventId, isOrderId, newCartId, newEventId, newOrderId, parseLineId } from './ids.js';

const tail = 'A'.repeat(21);

describe('ids', () => {
  it.each([
    ['cart', isCartId, newCartId, 'crt_'],
    ['order', isOrderId, newOrderId, 'ord_'],
    ['event', isEventId, newEventId, 'evt_'],
  ] as const)(
    'takes a %s id exactly: its prefix and 22 base64url characters, nothing before or after',
    (_, is, make, prefix) => {
      const made = make();
      expect(made).toMatch(new RegExp(`^${prefix}[A-Za-z0-9_-]{22}$`));
      expect(is(made)).toBe(true);
      expect(is(`${prefix}${tail}-`)).toBe(true);
      for (const wrong of [
        `${prefix}${tail}`,
        `${prefix}${tail}AA`,
        `x${prefix}${tail}A`,
        `${prefix}${tail}A\n`,
        `${prefix}${tail}=`,
        `${prefix}${'.'.repeat(22)}`,
        `${prefix}`,
      ])
        expect(is(wrong), JSON.stringify(wrong)).toBe(false);
    },
  );

  it('takes the default cart by its name, and no other word', () => {
    expect(isCartId('default')).toBe(true);
    expect(isCartId('defaults')).toBe(false);
    expect(isCartId('')).toBe(false);
  });

  it('parses a line id of 1 to 15 digits, no leading zero', () => {
    expect(parseLineId('1')).toBe(1);
    expect(parseLineId('999999999999999')).toBe(999_999_999_999_999);
    for (const wrong of ['0', '01', '1000000000000000', '-1', '1.5', ' 1', ''])
      expect(parseLineId(wrong)).toBeUndefined();
  });
});
