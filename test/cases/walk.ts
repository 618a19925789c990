import { expect } from 'vitest';
import { documentedSend } from './catalog.cases.js';
import type { Fetcher } from './client.js';

/**
 * Walks a cursor-paged listing from `path` (which carries `limit=`) to its end
 * by following `Link: <…>; rel="next"`, checking on every page that the link and
 * `next_cursor` agree, that a page with a next one is full, and that the last
 * page has neither. Gives every item of `field`, page by page, in order. Stops
 * (and fails) after `maxPages`: a cursor that does not move would loop forever.
 */
export async function walkPages<T = Record<string, unknown>>(
  fetcher: Fetcher,
  path: string,
  field: string,
  headers: Record<string, string>,
  maxPages = 500,
): Promise<T[]> {
  const { pathname, searchParams } = new URL(path, 'http://edgecart.test');
  const limit = Number(searchParams.get('limit'));
  const seen: T[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next !== undefined) {
    expect(pages, `${pathname} still has a next page after ${maxPages} pages`).toBeLessThan(maxPages);
    pages += 1;
    const reply = await documentedSend(fetcher, 'GET', next, undefined, headers);
    expect(reply.status, next).toBe(200);
    const items = reply.json[field] as T[];
    seen.push(...items);
    const link = reply.headers.get('link');
    if (reply.json.next_cursor === null) {
      expect(link, `the last page of ${pathname} has no Link`).toBeNull();
      expect(items.length).toBeLessThanOrEqual(limit);
      next = undefined;
    } else {
      expect(items, `a page of ${pathname} with a next one is full`).toHaveLength(limit);
      expect(link).toMatch(new RegExp(`^<${pathname.replaceAll('/', '\\/')}\\?[^>]+>; rel="next"$`));
      next = /^<([^>]+)>/.exec(link ?? '')?.[1];
      const linked = new URL(next ?? '', 'http://edgecart.test').searchParams;
      expect(linked.get('cursor')).toBe(reply.json.next_cursor);
      expect(linked.get('limit')).toBe(String(limit));
    }
  }
  return seen;
}

/** Sleeps long enough that the next write gets a later millisecond than the last (on Node and in workerd). */
export const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));
