import { describe, expect, it } from 'vitest';
import { clockBookmark, isBookmark } from './store.js';

describe('clockBookmark', () => {
  it('writes the clock in D1’s bookmark form, sorting as the clock does', () => {
    const early = clockBookmark(1_000);
    const late = clockBookmark(2 ** 32 + 5);
    expect(isBookmark(early)).toBe(true);
    expect(late).toBe('00000000-00000001-00000005-00000000000000000000000000000000');
    expect(late > early).toBe(true);
  });

  it('never goes backwards when the clock is set back', () => {
    const ahead = clockBookmark(Date.now() + 60_000);
    expect(clockBookmark(Date.now() - 60_000)).toBe(ahead);
    expect(clockBookmark() >= ahead).toBe(true);
  });
});

describe('isBookmark', () => {
  it.each([
    ['00000000-00000003-00000000-00000000000000000000000000000000', true],
    ['0000000a-0000000b-0000000c-0000000000000000000000000000000d', true],
    ['0000000A-00000003-00000000-00000000000000000000000000000000', false],
    ['00000000-00000003-00000000-00000000000000000000000000000000 ', false],
    ['00000000-00000003-00000000', false],
    ['', false],
  ])('%j → %s', (value, ok) => {
    expect(isBookmark(value)).toBe(ok);
  });
});
