import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_MAX, parseIdempotencyKey } from './idempotency.js';

describe('parseIdempotencyKey', () => {
  it.each([
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"8e03978e"', '8e03978e'],
    ['"with space"', 'with space'],
    ['bare with space', 'bare with space'],
    ['"a\\"b"', 'a"b'],
    ['"a\\\\b"', 'a\\b'],
    ['a\\b', 'a\\b'],
    ['"a,b"', 'a,b'],
    ['  padded  ', 'padded'],
    [' "quoted" ', 'quoted'],
  ])('reads %j as the key %j', (header, key) => {
    expect(parseIdempotencyKey(header)).toBe(key);
  });

  it('takes 255 characters, bare or quoted, and no more', () => {
    const key = 'k'.repeat(IDEMPOTENCY_KEY_MAX);
    expect(parseIdempotencyKey(key)).toBe(key);
    expect(parseIdempotencyKey(`"${key}"`)).toBe(key);
    expect(parseIdempotencyKey(`${key}k`)).toBeUndefined();
    expect(parseIdempotencyKey(`"${key}k"`)).toBeUndefined();
    // Escapes count once unescaped: 255 characters written as 256.
    expect(parseIdempotencyKey(`"${'k'.repeat(254)}\\\\"`)).toBe(`${'k'.repeat(254)}\\`);
  });

  it.each([
    ['two headers joined', 'a, b'],
    ['two quoted keys', '"a", "b"'],
    ['a quote in a bare key', 'a"b'],
    ['an unknown escape', '"a\\nb"'],
    ['a dangling escape', '"a\\"'],
    ['an empty key', '""'],
    ['a blank key', '"   "'],
    ['a control character', 'a\tb'],
    ['non-ASCII', 'clé'],
  ])('refuses %s', (_what, header) => {
    expect(parseIdempotencyKey(header)).toBeUndefined();
  });
});
