import { describe, expect, it } from 'vitest';
import type { CartDocument } from './cart-json.js';
import { recentCarts } from './recent-carts.js';

const doc = (version: number, codes = '[["TEN"]]'): CartDocument => ({
  version,
  expiresAt: null,
  body: '{}',
  codes,
  order: null,
  delivery: null,
  lines: null,
  tax: null,
  stock: null,
});

describe('recentCarts', () => {
  it('remembers the latest document of a cart with codes', () => {
    const recent = recentCarts();
    recent.note('a', doc(1));
    recent.note('a', doc(2));
    expect(recent.get('a')?.version).toBe(2);
    expect(recent.get('b')).toBeUndefined();
  });

  it('forgets a cart that holds no code any more, or is forgotten', () => {
    const recent = recentCarts();
    recent.note('a', doc(1));
    recent.note('a', doc(2, '[]'));
    expect(recent.get('a')).toBeUndefined();
    recent.note('b', doc(1));
    recent.forget('b');
    expect(recent.get('b')).toBeUndefined();
  });

  it('keeps a cart when a read found nothing (a caller it does not exist for)', () => {
    const recent = recentCarts();
    recent.note('a', doc(1));
    recent.note('a', undefined);
    expect(recent.get('a')?.version).toBe(1);
  });

  it('holds at most its bound, forgetting the least recently noted first', () => {
    const recent = recentCarts(2);
    recent.note('a', doc(1));
    recent.note('b', doc(1));
    recent.note('a', doc(2));
    recent.note('c', doc(1));
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')?.version).toBe(2);
    expect(recent.get('c')?.version).toBe(1);
  });
});
