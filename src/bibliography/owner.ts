import type { Person } from './types.ts';

interface NameKey {
  family: string;
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
  if (after !== undefined) return { family: fold(before ?? ''), ...firstGiven(after) };
  const words = name.trim().split(/\s+/);
  return { family: fold(words.at(-1) ?? ''), ...firstGiven(words.length > 1 ? (words[0] ?? '') : '') };
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

/**
 * Builds a test for "is this author the site owner?". An author matches a
 * variant when the family names are equal and the first given names are
 * the same, or one is an initial or abbreviation of the other, ignoring case
 * and accents: "A. Nanos", "Anastassios Nanos" and "Anastássios N. Nanos"
 * match "Nanos, Anastassios"; "Anastasios Nanos", another spelling, needs a
 * variant of its own, and "Zhuozhao Li" is not "Li, Ze".
 */
export function ownerMatcher(variants: readonly string[]): (person: Person) => boolean {
  const keys = variants.map(parseNameVariant);
  const matches = (person: Person): boolean => {
    if (person.literal !== undefined) return keys.some((key) => fold(person.literal ?? '') === `${key.family}`);
    const families = [fold(person.family ?? ''), fold([person.prefix, person.family].filter(Boolean).join(' '))];
    const given = firstGiven(person.given ?? '');
    return keys.some((key) => families.includes(key.family) && sameGiven(key, given));
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
