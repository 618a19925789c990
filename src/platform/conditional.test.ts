import { describe, expect, it } from 'vitest';
import { parseEntityTags, preconditions } from './conditional.js';

const list = (n: number) => Array.from({ length: n }, (_, i) => `"${i + 1}"`).join(', ');

describe('preconditions', () => {
  it('reads If-Match strongly (weak tags match nothing) and If-None-Match weakly', () => {
    expect(preconditions('"3", W/"4"', 'W/"5", "6"')).toEqual({ ifMatch: [3], ifNoneMatch: [5, 6] });
    expect(preconditions('*', '*')).toEqual({ ifMatch: 'any', ifNoneMatch: 'any' });
    expect(preconditions(undefined, undefined)).toEqual({ ifMatch: undefined, ifNoneMatch: undefined });
  });

  it('names no version for a tag that is not one of ours', () => {
    expect(preconditions('"abc", "0", "007"', undefined)).toEqual({ ifMatch: [], ifNoneMatch: undefined });
    expect(preconditions('"12abc", "x12", "1234567890123456"', undefined)).toEqual({
      ifMatch: [],
      ifNoneMatch: undefined,
    });
  });

  it('reads versions of many digits, and the header around its blanks', () => {
    expect(preconditions(' "12" , "123456789012345" ', '  *  ')).toEqual({
      ifMatch: [12, 123456789012345],
      ifNoneMatch: 'any',
    });
  });

  it('takes 32 distinct tags and any number of duplicates, and refuses a 33rd', () => {
    expect(parseEntityTags(list(32))).toMatchObject({ any: false });
    expect(parseEntityTags(Array.from({ length: 500 }, () => '"1"').join(','))).toEqual({
      any: false,
      tags: [{ weak: false, opaque: '1' }],
    });
    expect(parseEntityTags(list(33))).toBe('too-many');
    expect(preconditions(undefined, list(33))).toEqual({ header: 'If-None-Match', problem: 'too-many' });
  });

  it.each(['', '4', '"4', '"4",', 'W/4', '"a"b"'])('finds %j malformed', (header) => {
    expect(parseEntityTags(header)).toBe('malformed');
    expect(preconditions(header, undefined)).toEqual({ header: 'If-Match', problem: 'malformed' });
  });
});
