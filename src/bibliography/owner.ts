import path from 'node:path';
import { lineInFile, type Problem } from '../errors.ts';
import type { Person, Publication } from './types.ts';

interface NameKey {
  /**
   * The family name's words, folded: as written, and without its particles when they are
   * apart (BibTeX's "van der" in `van der Berg, Jan`), so either matches.
   */
  families: string[][];
  /** The family name's own words, without particles apart from it: what a new split may not give away. */
  ownFamily: number;
  /** The whole name's words in reading order, folded: given names, particles, family name. */
  words: string[];
  /** The first given name, folded; '' when none is written. */
  given: string;
  /** Whether it is written as an initial or an abbreviation ("A.", "AA", "Zh."), which stands for any name it begins. */
  abbreviated: boolean;
}

/**
 * Letters that Unicode does not decompose into a base letter and an accent, as they are
 * written without it ("Ørsted" as "Orsted", "Łukasz" as "Lukasz", "Weiß" as "Weiss").
 */
const UNDECOMPOSED: Readonly<Record<string, string>> = {
  ø: 'o', ł: 'l', ß: 'ss', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};
const UNDECOMPOSED_LETTER = new RegExp(`[${Object.keys(UNDECOMPOSED).join('')}]`, 'g');

/** Lower case, without accents or punctuation, so "Nános" matches "Nanos" and "Ørsted" "Orsted". */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(UNDECOMPOSED_LETTER, (letter) => UNDECOMPOSED[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Reads "Family, Given" or "Given Family" as written in the site data. */
function parseNameVariant(name: string): NameKey {
  const [before, after] = name.split(',', 2);
  if (after !== undefined) return nameKey({ given: after, family: before ?? '' });
  const words = name.trim().split(/\s+/);
  return nameKey({ given: words.slice(0, -1).join(' '), family: words.at(-1) ?? '' });
}

/** Words of a name part, folded: "García-López" and "García López" are the same two words. */
function foldedWords(text: string | undefined): string[] {
  const folded = fold(text ?? '');
  return folded === '' ? [] : folded.split(' ');
}

function nameKey(person: Pick<Person, 'given' | 'prefix' | 'family'>): NameKey {
  const family = foldedWords(person.family);
  const prefix = foldedWords(person.prefix);
  return {
    families: prefix.length === 0 ? [family] : [family, [...prefix, ...family]],
    ownFamily: family.length,
    words: [...foldedWords(person.given), ...prefix, ...family],
    ...firstGiven(person.given ?? ''),
  };
}

/**
 * The first of the given names, folded, and whether it is an initial or an abbreviation: one
 * letter ("A.", "A"), one ending in a full stop ("Zh.", "Ch."), or capitals written together for
 * several initials ("AA", as PubMed and Scholar write them).
 */
function firstGiven(given: string): Pick<NameKey, 'given' | 'abbreviated'> {
  const written = given.trim().split(/[\s\-‐–]+/)[0] ?? '';
  const folded = fold(written).split(' ')[0] ?? '';
  // "AA" is two initials: only its first stands for the first given name.
  if (/^\p{Lu}{2,3}$/u.test(written)) return { given: folded.charAt(0), abbreviated: true };
  return { given: folded, abbreviated: folded.length <= 1 || written.endsWith('.') };
}

/**
 * Whether two first given names may be the same person's: equal when both are written out (so
 * "Ze Li" is not "Zhuozhao Li"), else the abbreviation begins the other ("Z." and "Zh." begin
 * "Zhuozhao"; "AA" begins with the initial of "Andres"). A name without given names matches any.
 */
function sameGiven(a: Pick<NameKey, 'given' | 'abbreviated'>, b: Pick<NameKey, 'given' | 'abbreviated'>): boolean {
  if (a.given === '' || b.given === '') return true;
  if (!a.abbreviated && !b.abbreviated) return a.given === b.given;
  return a.given.startsWith(b.given) || b.given.startsWith(a.given);
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}

/**
 * Whether `other`, split again so that `family` is its family name, has the same family name
 * and first given name as `named`. BibTeX reads DBLP's "María García López" as given "María
 * García", family "López": it is Zotero's `García López, María`. Only given names and particles
 * may move into the family name, and a given name must stay, so a family name written whole is
 * never cut: `García López, María` is not `López, María`, nor "María García López" `García,
 * María` (its last word would be no family name's).
 */
function sameAfterSplit(named: NameKey, family: readonly string[], other: NameKey): boolean {
  const rest = other.words.length - family.length;
  return other.given !== '' && rest > 0 && family.length >= other.ownFamily && sameWords(other.words.slice(rest), family) && sameGiven(named, other);
}

/**
 * Whether two names may be the same person's: the same family name (with its particles or
 * without) and first given names that may be the same, or that once either is split again
 * between given and family names (see sameAfterSplit).
 */
function sameName(a: NameKey, b: NameKey): boolean {
  if (a.families.some((family) => b.families.some((other) => sameWords(family, other))) && sameGiven(a, b)) return true;
  return a.families.some((family) => sameAfterSplit(a, family, b)) || b.families.some((family) => sameAfterSplit(b, family, a));
}

/**
 * Builds a test for "is this author the site owner?". An author matches a
 * variant when the family names are equal and the first given names are
 * the same, or one is an initial or abbreviation of the other, ignoring case
 * and accents: "A. Nanos", "Anastassios Nanos" and "Anastássios N. Nanos"
 * match "Nanos, Anastassios"; "Anastasios Nanos", another spelling, needs a
 * variant of its own, and "Zhuozhao Li" is not "Li, Ze". Where the family name
 * ends and particles and given names begin may differ, as it does between
 * exports: DBLP's "María García López" and Scholar's `García-López, María`
 * match "García López, María".
 */
export function ownerMatcher(variants: readonly string[]): (person: Person) => boolean {
  const keys = variants.map(parseNameVariant);
  const matches = (person: Person): boolean => {
    if (person.literal !== undefined) return keys.some((key) => fold(person.literal ?? '') === (key.families[0] ?? []).join(' '));
    const name = nameKey(person);
    return keys.some((key) => sameName(key, name));
  };
  // A long list names the same people again and again: each name is folded once (the 14,700
  // authors of 5,000 generated entries: 40-60 ms to about 20 in a fresh process). The parts the
  // answer depends on, each but the last after its length, so that no two names share a key.
  const answers = new Map<string, boolean>();
  return (person) => {
    const { literal, given = '', prefix = '', family = '' } = person;
    const name = literal === undefined ? `${given.length}:${given}${prefix.length}:${prefix}${family}` : `literal:${literal}`;
    let answer = answers.get(name);
    if (answer === undefined) answers.set(name, (answer = matches(person)));
    return answer;
  };
}

/**
 * A warning, at author_names in the site data, when none of its names is an author's, editor's
 * or translator's in the listed entries: no entry shows the owner's name in bold, and nothing
 * else would tell them (the example's name left in place, or a misspelling). The name in most
 * entries is offered, as in one's own list it is most likely one's own.
 */
export function ownerNamesUnmatched(names: readonly string[], entries: readonly Publication[], files: { root: string; siteFile: string; bibliography: string }): Problem[] {
  if (entries.length === 0) return [];
  const isOwner = ownerMatcher(names);
  const people = (entry: Publication): Person[] => [...entry.authors, ...entry.editors, ...(entry.translators ?? [])];
  if (entries.some((entry) => people(entry).some(isOwner))) return [];
  const line = lineInFile(path.join(files.root, files.siteFile), (written) => /^\s*["']?author_names["']?\s*:/.test(written));
  const written = names.map((name) => `"${name}"`).join(' or ');
  const likely = mostListed(entries.map(people));
  const hint = likely === undefined ? '' : `; "${likely.name}" is in ${likely.entries} of them`;
  return [{
    file: files.siteFile,
    ...(line === undefined ? {} : { line }),
    key: 'author_names',
    message: `no author or editor of the ${entries.length === 1 ? 'entry' : `${entries.length} entries`} in ${files.bibliography} is ${written}, so no entry shows your name in bold: write your name here as your entries write it ("Family, Given"), a line for each spelling${hint}`,
  }];
}

/** The name in most entries ("Family, Given"), when it is in at least two and at least half of them. */
function mostListed(entries: ReadonlyArray<readonly Person[]>): { name: string; entries: number } | undefined {
  const counts = new Map<string, { name: string; entries: number }>();
  for (const people of entries) {
    const seen = new Set<string>();
    for (const person of people) {
      if (person.literal !== undefined || person.family === undefined) continue;
      const family = [person.prefix, person.family].filter(Boolean).join(' ');
      const name = person.given === undefined || person.given === '' ? family : `${family}, ${person.given}`;
      const key = fold(name);
      if (seen.has(key)) continue;
      seen.add(key);
      const count = counts.get(key) ?? { name, entries: 0 };
      count.entries += 1;
      counts.set(key, count);
    }
  }
  let best: { name: string; entries: number } | undefined;
  for (const count of counts.values()) if (best === undefined || count.entries > best.entries) best = count;
  return best !== undefined && best.entries >= 2 && best.entries * 2 >= entries.length ? best : undefined;
}
