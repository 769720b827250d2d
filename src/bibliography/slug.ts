/** A URL-safe form of a citation key: lower case ASCII letters, digits, `-` and `_`. */
export function slugifyKey(key: string): string {
  const ascii = key
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii === '' ? 'entry' : ascii;
}

/**
 * Gives each key a unique slug. Keys are taken in sorted order, so a key's
 * slug does not depend on where it sits in the file.
 */
export function assignSlugs(keys: readonly string[]): Map<string, string> {
  const slugs = new Map<string, string>();
  const taken = new Set<string>();
  // Where to go on counting for each base: thousands of keys with one base stay linear.
  const nextNumber = new Map<string, number>();
  for (const key of [...new Set(keys)].sort()) {
    const base = slugifyKey(key);
    let slug = base;
    let n = nextNumber.get(base) ?? 2;
    for (; taken.has(slug); n++) slug = `${base}-${n}`;
    nextNumber.set(base, n);
    taken.add(slug);
    slugs.set(key, slug);
  }
  return slugs;
}
