/**
 * The client address behind `hops` trusted proxies: each proxy appends the
 * address it received the request from to `X-Forwarded-For`, so the N-th
 * entry from the right is the one the outermost trusted proxy saw. Entries to
 * its left were written by the client and are never used. Undefined when the
 * header has fewer entries than there are proxies (or hops is 0): the caller
 * then uses the socket's address.
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (hops <= 0 || header === undefined) return undefined;
  const entries = header.split(',').map((entry) => entry.trim());
  const entry = entries[entries.length - hops];
  return entry === undefined || entry === '' ? undefined : entry;
}
