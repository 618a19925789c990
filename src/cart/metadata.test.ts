import { describe, expect, it } from 'vitest';
import { canonicalMetadata } from './metadata.js';

describe('canonicalMetadata', () => {
  it('stores no metadata as an empty object', () => {
    expect(canonicalMetadata(undefined)).toBe('{}');
    expect(canonicalMetadata({})).toBe('{}');
  });

  it('sorts keys so equal objects are equal text, whatever order they were written in', () => {
    const orders = [
      { size: 'M', colour: 'red', gift: true, a: 1 },
      { a: 1, gift: true, colour: 'red', size: 'M' },
      { gift: true, size: 'M', a: 1, colour: 'red' },
    ];
    for (const metadata of orders)
      expect(canonicalMetadata(metadata)).toBe('{"a":1,"colour":"red","gift":true,"size":"M"}');
  });

  it('sorts upper case before lower case, and integer-like keys first in numeric order (as JSON objects keep them)', () => {
    expect(canonicalMetadata({ b: 1, B: 2, 10: 4, 9: 3 })).toBe('{"9":3,"10":4,"B":2,"b":1}');
    expect(canonicalMetadata({ B: 2, b: 1, 9: 3, 10: 4 })).toBe('{"9":3,"10":4,"B":2,"b":1}');
  });

  it('keeps a __proto__ key as an own property instead of losing it', () => {
    const metadata = JSON.parse('{"__proto__":"x","a":1}') as Record<string, string | number>;
    expect(canonicalMetadata(metadata)).toBe('{"__proto__":"x","a":1}');
  });
});
