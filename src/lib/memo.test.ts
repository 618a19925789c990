import { describe, expect, it } from 'vitest';
import { forgetMemos, memo } from './memo.js';

describe('memo', () => {
  it('builds a value once per key, and again for every memo after forgetMemos', () => {
    const builds: string[] = [];
    const plain = memo<string, string>();
    const weak = memo<object, string>('weak');
    const key = {};
    const build = (name: string) => {
      builds.push(name);
      return name.toUpperCase();
    };
    expect([plain('a', build), plain('a', build), plain('b', build)]).toEqual(['A', 'A', 'B']);
    expect(weak(key, () => build('k'))).toBe('K');
    expect(weak(key, () => build('k'))).toBe('K');
    expect(builds).toEqual(['a', 'b', 'k']);
    forgetMemos();
    expect([plain('a', build), weak(key, () => build('k'))]).toEqual(['A', 'K']);
    expect(builds).toEqual(['a', 'b', 'k', 'a', 'k']);
  });

  it('keeps an undefined value as built, without building it again', () => {
    let builds = 0;
    const none = memo<string, undefined>();
    none('x', () => {
      builds++;
      return undefined;
    });
    none('x', () => {
      builds++;
      return undefined;
    });
    expect(builds).toBe(1);
  });
});
