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
  for (const key of [...new Set(keys)].sort()) {
    const base = slugifyKey(key);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    slugs.set(key, slug);
  }
  return slugs;
}
