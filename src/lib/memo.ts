/**
 * Values built once and kept while the process (or Worker isolate) lives,
 * by key: compiled statements, request schemas per currency exponent, a
 * currency's digits, a configuration's token verifier, a signing key.
 *
 * Every such cache is made here, so that `forgetMemos()` can empty them all:
 * npm run mutate does so before each test (test/mutation.setup.ts), so that
 * a test that uses a kept value builds it itself and is seen to run the code
 * that builds it. Otherwise a planted bug in, say, a statement's SQL would be
 * tried only against whichever test happened to build the statement first.
 */
const forgetters = new Set<() => void>();

/** A cache by key; `weak` for object keys that may be dropped (a configuration). */
export function memo<K, V>(): (key: K, build: (key: K) => V) => V;
export function memo<K extends object, V>(weak: 'weak'): (key: K, build: (key: K) => V) => V;
export function memo<K, V>(weak?: 'weak') {
  const fresh = () => (weak === 'weak' ? new WeakMap() : new Map()) as Map<K, V>;
  let cache = fresh();
  forgetters.add(() => {
    cache = fresh();
  });
  return (key: K, build: (key: K) => V): V => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = build(key);
    cache.set(key, value);
    return value;
  };
}

/** Empties every cache made by `memo`. */
export function forgetMemos() {
  for (const forget of forgetters) forget();
}
