export type Metadata = Record<string, string | number | boolean>;

/**
 * Metadata as stored: JSON with its keys sorted, so two equal objects are the
 * same text and the merge key (product, price, metadata) compares as text.
 */
export function canonicalMetadata(metadata: Metadata | undefined): string {
  if (metadata === undefined) return '{}';
  // sort() orders keys by UTF-16 code units; fromEntries defines own properties, so no key (not even __proto__) is lost.
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(metadata)
        .sort()
        .map((key) => [key, metadata[key]]),
    ),
  );
}
