import { describe, expect, it } from 'vitest';
import { forwardedClient } from './client-address.js';

describe('forwardedClient', () => {
  it('takes the right-most entry behind one proxy, whatever the client wrote to its left', () => {
    expect(forwardedClient('6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7');
    expect(forwardedClient('1.1.1.1, 2.2.2.2, 198.51.100.7', 1)).toBe('198.51.100.7');
  });

  it('takes the N-th entry from the right behind N proxies', () => {
    expect(forwardedClient('6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7');
    expect(forwardedClient(' 198.51.100.7 ,10.0.0.3,10.0.0.2', 3)).toBe('198.51.100.7');
  });

  it('gives nothing (use the socket) with no proxy, no header, or fewer entries than proxies', () => {
    expect(forwardedClient('198.51.100.7', 0)).toBeUndefined();
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient('198.51.100.7', 2)).toBeUndefined();
    expect(forwardedClient('198.51.100.7, ', 1)).toBeUndefined();
  });
});
