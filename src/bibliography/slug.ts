import { createHash } from 'node:crypto';

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
 * Gives each key a slug of its own: the name of its page, its .bib file, its Atom id and its
 * sitemap entry. Search engines keep these addresses with the paper they showed, so an address
 * may stop working when entries are added or removed (a 404), but must never lead to another
 * paper. So a slug goes to a key only while no other key present wants it.
 *
 * Each key has a fixed list of candidates (see `candidatesOf`), and takes the first that no
 * other key has in its own list. A key is never numbered by its place among the keys that
 * clash (smith-2020-2), nor preferred because it is its own slug: either would hand an address
 * from one key to another when an entry is added ("smith-2020" arriving after "smith:2020"
 * held /publications/smith-2020/). Slugs are lower case, so two of them never name one file on
 * a case-insensitive file system; the result does not depend on the order of `keys`.
 */
export function assignSlugs(keys: readonly string[]): Map<string, string> {
  const candidates = new Map([...new Set(keys)].map((key) => [key, candidatesOf(key)]));
  // Each candidate's one key, or null once a second key wants it.
  const wantedBy = new Map<string, string | null>();
  for (const [key, list] of candidates) for (const slug of list) wantedBy.set(slug, wantedBy.has(slug) ? null : key);
  const slugs = new Map<string, string>();
  for (const [key, list] of candidates) {
    const slug = list.find((candidate) => wantedBy.get(candidate) === key);
    // Only a key written to hold another key's SHA-256 can take all of a key's candidates.
    if (slug === undefined) {
      const others = [...candidates].filter(([other, otherList]) => other !== key && otherList.some((candidate) => list.includes(candidate))).map(([other]) => `"${other}"`);
      throw new Error(`the key "${key}" can be given no address of its own: ${others.join(', ')} want every one it could have; rename it`);
    }
    slugs.set(key, slug);
  }
  return slugs;
}

/**
 * The slugs a key may take, in order of preference, each made from the key alone: its plain
 * slug, then the plain slug with the first 6 and then all 64 hex digits of the SHA-256 of the
 * exact key (`smith:2020` gives smith-2020, smith-2020-fae187, smith-2020-fae187…).
 */
function candidatesOf(key: string): readonly string[] {
  const base = slugifyKey(key);
  const digest = createHash('sha256').update(key).digest('hex');
  return [base, `${base}-${digest.slice(0, 6)}`, `${base}-${digest}`];
}
