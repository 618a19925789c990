import type { Preconditions } from '../cart/changes.js';
import { LIMITS } from '../cart/limits.js';

/** A parsed `If-Match` / `If-None-Match` header (RFC 9110 §13.1). */
export type EntityTagCondition = { any: true } | { any: false; tags: Array<{ weak: boolean; opaque: string }> };

export type ConditionProblem = 'malformed' | 'too-many';

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * Parses a condition header; undefined when absent. Not `*` or a list of
 * entity tags is `malformed`; more than LIMITS.conditionTags distinct tags is
 * `too-many` (duplicates count once).
 */
export function parseEntityTags(header: string | undefined): EntityTagCondition | ConditionProblem | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return { any: true };
  const seen = new Set<string>();
  const tags: Array<{ weak: boolean; opaque: string }> = [];
  for (const part of value.split(',')) {
    const text = part.trim();
    const match = ENTITY_TAG.exec(text);
    if (!match) return 'malformed';
    if (seen.has(text)) continue;
    seen.add(text);
    if (seen.size > LIMITS.conditionTags) return 'too-many';
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
  }
  return tags.length === 0 ? 'malformed' : { any: false, tags };
}

const versionOf = (opaque: string) => (/^[1-9]\d{0,14}$/.test(opaque) ? Number(opaque) : undefined);

/** The cart versions a list names: strong comparison (If-Match) skips weak tags, weak comparison takes them. */
function versions(condition: EntityTagCondition, strong: boolean): number[] | 'any' {
  if (condition.any) return 'any';
  const out = new Set<number>();
  for (const tag of condition.tags) {
    const version = strong && tag.weak ? undefined : versionOf(tag.opaque);
    if (version !== undefined) out.add(version);
  }
  return [...out];
}

/**
 * The preconditions of a mutation from its `If-Match` and `If-None-Match`
 * headers, or the header that is wrong and why.
 */
export function preconditions(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): Preconditions | { header: 'If-Match' | 'If-None-Match'; problem: ConditionProblem } {
  const match = parseEntityTags(ifMatch);
  if (typeof match === 'string') return { header: 'If-Match', problem: match };
  const noneMatch = parseEntityTags(ifNoneMatch);
  if (typeof noneMatch === 'string') return { header: 'If-None-Match', problem: noneMatch };
  return {
    ifMatch: match === undefined ? undefined : versions(match, true),
    ifNoneMatch: noneMatch === undefined ? undefined : versions(noneMatch, false),
  };
}

/** Whether `If-None-Match` matches the current version: weak comparison, as RFC 9110 §13.1.2 asks. */
export function noneMatchHits(condition: EntityTagCondition, version: number): boolean {
  return condition.any || condition.tags.some((tag) => tag.opaque === String(version));
}
