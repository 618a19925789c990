import { describe, expect, it } from 'vitest';
import { currencyExponent, decimalToMinor, minorToDecimal } from './money.js';

describe('currencyExponent', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('gives %s %i minor digits from the runtime Intl data', (code, digits) => {
    expect(currencyExponent(code)).toBe(digits);
  });

  it.each(['usd', 'XXXX', 'ZZZ', ''])('knows no currency %j', (code) => {
    expect(currencyExponent(code)).toBeUndefined();
  });
});

describe('decimalToMinor', () => {
  it.each([
    ['41', 2, 4100],
    [' 7 ', 2, 700],
    ['0.29', 2, 29],
    ['19.99', 2, 1999],
    ['1.5e2', 2, 15000],
    ['.5', 2, 50],
    ['5.', 2, 500],
    ['41.000', 2, 4100],
    ['-0', 2, 0],
    ['1234', 0, 1234],
    ['1.234', 3, 1234],
    ['10000000000', 2, 1_000_000_000_000],
    ['1e-2', 2, 1],
  ])('reads %j with %i decimals as %i minor units', (text, exponent, minor) => {
    expect(decimalToMinor(text, exponent)).toEqual({ ok: true, minor });
  });

  it.each([
    ['', 'invalid'],
    ['abc', 'invalid'],
    ['1,5', 'invalid'],
    ['0x10', 'invalid'],
    ['.', 'invalid'],
    ['1.001', 'decimals'],
    ['1e-3', 'decimals'],
    ['-1', 'negative'],
    ['10000000000.01', 'range'],
    ['1e30', 'range'],
    ['9'.repeat(40), 'range'],
  ])('refuses %j (%s)', (text, reason) => {
    expect(decimalToMinor(text, 2)).toEqual({ ok: false, reason });
  });

  it.each([
    ['1e9999999', 'range'],
    ['-1e9999999', 'range'],
    ['0.1e-9999999', 'decimals'],
  ])('answers an exponent of seven or more digits without computing it: %j (%s)', (text, reason) => {
    expect(decimalToMinor(text, 2)).toEqual({ ok: false, reason });
  });

  it.each([
    ['0e9999999', 0],
    ['-0.00e-9999999', 0],
    ['1e-0000002', 1],
    ['1e+0000000000000000000002', 10000],
  ])('measures an exponent by its value, not its spelling: %j', (text, minor) => {
    expect(decimalToMinor(text, 2)).toEqual({ ok: true, minor });
  });

  it.each([
    ['0e25', 0],
    ['0.000', 0],
    ['1e999999', undefined],
    ['100000000000e-2', 100_000_000_000],
  ])('reads zero under any exponent, and measures digits and exponent together: %j', (text, minor) => {
    expect(decimalToMinor(text, 2, 10_000_000_000_000)).toEqual(
      minor === undefined ? { ok: false, reason: 'range' } : { ok: true, minor },
    );
  });

  it('refuses one minor unit over the maximum it is given and takes the maximum itself', () => {
    expect(decimalToMinor('1.00', 2, 100)).toEqual({ ok: true, minor: 100 });
    expect(decimalToMinor('1.01', 2, 100)).toEqual({ ok: false, reason: 'range' });
  });

  it('refuses a JPY amount with any decimal', () => {
    expect(decimalToMinor('1.5', 0)).toEqual({ ok: false, reason: 'decimals' });
  });
});

describe('minorToDecimal', () => {
  it.each([
    [4100, 2, 41],
    [29, 2, 0.29],
    [1999, 2, 19.99],
    [1234, 3, 1.234],
    [500, 0, 500],
  ])('shows %i minor units with %i decimals as %d', (minor, exponent, value) => {
    expect(minorToDecimal(minor, exponent)).toBe(value);
  });
});
