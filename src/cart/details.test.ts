import { describe, expect, it } from 'vitest';
import { type CartDetails, detailsProblems, isCountry, isRegion, mergePatch, patchedDetails } from './details.js';

const none: CartDetails = { email: null, note: null, attributes: {}, shipping_address: null, billing_address: null };
const bonn = { line1: 'Markt 1', city: 'Bonn', country: 'DE', region: 'DE-NW' };

describe('mergePatch', () => {
  // RFC 7396 Appendix A, every example.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('merges %j with %j into %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });
});

describe('cart details', () => {
  it('changes one field of an address and keeps the rest', () => {
    const current = { ...none, shipping_address: bonn };
    expect(patchedDetails(current, { shipping_address: { city: 'Köln' } }).shipping_address).toEqual({
      ...bonn,
      city: 'Köln',
    });
  });

  it('leaves a member removed unset', () => {
    const current = { ...none, email: 'a@b.example', attributes: { gift: 'yes' }, shipping_address: bonn };
    expect(patchedDetails(current, { email: null, attributes: null, shipping_address: null })).toEqual(none);
  });

  it('finds nothing wrong with no details, or a whole address', () => {
    expect(detailsProblems(none)).toEqual([]);
    expect(detailsProblems({ ...none, billing_address: bonn })).toEqual([]);
  });

  it('lists every required field an address lacks, and a region of another country', () => {
    const details = { ...none, shipping_address: { city: 'Paris', country: 'FR', region: 'DE-BY' } };
    expect(detailsProblems(details)).toEqual([
      { path: 'shipping_address.line1', message: 'Required' },
      { path: 'shipping_address.region', message: 'Must be a subdivision of FR' },
    ]);
    expect(detailsProblems({ ...none, billing_address: {} })).toEqual([
      { path: 'billing_address.line1', message: 'Required' },
      { path: 'billing_address.city', message: 'Required' },
      { path: 'billing_address.country', message: 'Required' },
    ]);
  });

  it('allows 20 attributes and refuses 21', () => {
    const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(detailsProblems({ ...none, attributes: attributes(20) })).toEqual([]);
    expect(detailsProblems({ ...none, attributes: attributes(21) })).toEqual([
      { path: 'attributes', message: 'At most 20 keys' },
    ]);
  });

  it('knows the ISO 3166 codes, upper case', () => {
    expect([isCountry('DE'), isCountry('XX'), isCountry('de')]).toEqual([true, false, false]);
    expect([isRegion('US-CA'), isRegion('CA-QC'), isRegion('DE-BY'), isRegion('US-XX'), isRegion('GB-BFS')]).toEqual([
      true,
      true,
      true,
      false,
      true,
    ]);
  });
});
