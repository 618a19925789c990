/** A parsed `If-Match` / `If-None-Match` header (RFC 9110 §13.1). */
export type EntityTagCondition = { any: true } | { any: false; tags: Array<{ weak: boolean; opaque: string }> };

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** Parses a condition header; undefined when absent, 'malformed' when it is not `*` or a list of entity tags. */
export function parseEntityTags(header: string | undefined): EntityTagCondition | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return { any: true };
  const tags: Array<{ weak: boolean; opaque: string }> = [];
  for (const part of value.split(',')) {
    const match = ENTITY_TAG.exec(part.trim());
    if (!match) return 'malformed';
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
  }
  return tags.length === 0 ? 'malformed' : { any: false, tags };
}

/** The cart versions an `If-Match` list allows: strong comparison, so weak tags match nothing. */
export function versionsFromIfMatch(condition: EntityTagCondition): number[] | undefined {
  if (condition.any) return undefined;
  return condition.tags
    .filter((tag) => !tag.weak && /^[1-9]\d{0,14}$/.test(tag.opaque))
    .map((tag) => Number(tag.opaque));
}

/** Whether `If-None-Match` matches the current version: weak comparison, as RFC 9110 §13.1.2 asks. */
export function noneMatchHits(condition: EntityTagCondition, version: number): boolean {
  return condition.any || condition.tags.some((tag) => tag.opaque === String(version));
}
