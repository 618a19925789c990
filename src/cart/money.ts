import { memo } from '../lib/memo.js';
import { MAX_UNIT_PRICE } from './limits.js';

// Kept for known codes only: unknown ones (refused on every try) must not grow a cache.
const exponents = memo<string, number | undefined>();
let supported: Set<string> | undefined;

/**
 * The number of minor-unit digits of an ISO 4217 currency (USD 2, JPY 0, KWD 3),
 * from the runtime's own `Intl` currency data; undefined for an unknown code.
 */
export function currencyExponent(code: string): number | undefined {
  // The runtime's list, read once (it holds no logic of ours to measure).
  supported ??= new Set(Intl.supportedValuesOf('currency'));
  if (!supported.has(code)) return undefined;
  return exponents(
    code,
    () => new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits,
  );
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export type DecimalParse =
  | { ok: true; minor: number }
  | { ok: false; reason: 'invalid' | 'decimals' | 'negative' | 'range' };

/**
 * Converts a decimal amount written as text ("41", " 7 ", "12.50", "1e3") into
 * an integer count of minor units without passing through a float, so
 * "0.29" is 29 cents and never 28.999….
 */
export function decimalToMinor(text: string, exponent: number, max: number = MAX_UNIT_PRICE): DecimalParse {
  const match = DECIMAL.exec(text.trim());
  if (!match) return { ok: false, reason: 'invalid' };
  const [, sign = '', whole = '', fraction = '', power = '0'] = match;
  if (whole === '' && fraction === '') return { ok: false, reason: 'invalid' };
  // An exponent of seven or more digits is never computed: zero stays zero, anything else is too big or too fine.
  if (power.replace(/^[+-]?0*/, '').length > 6) {
    if (!/[1-9]/.test(whole + fraction)) return { ok: true, minor: 0 };
    return { ok: false, reason: power.startsWith('-') ? 'decimals' : 'range' };
  }
  // digits × 10^(shift) is the amount in minor units.
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  const shift = Number(power) - fraction.length + exponent;
  let minor: bigint;
  if (shift >= 0) {
    if (digits.replace(/0/g, '') !== '' && digits.length + shift > 20) return { ok: false, reason: 'range' };
    minor = BigInt(digits) * 10n ** BigInt(Math.min(shift, 20));
  } else {
    const cut = -shift;
    const dropped = cut >= digits.length ? digits : digits.slice(digits.length - cut);
    if (/[1-9]/.test(dropped)) return { ok: false, reason: 'decimals' };
    minor = cut >= digits.length ? 0n : BigInt(digits.slice(0, digits.length - cut));
  }
  if (sign === '-' && minor !== 0n) return { ok: false, reason: 'negative' };
  if (minor > BigInt(max)) return { ok: false, reason: 'range' };
  return { ok: true, minor: Number(minor) };
}

/** The decimal value of an amount of minor units, as the classic surface shows it (4100 → 41). */
export function minorToDecimal(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}
