import type { Creator } from '@retorquere/bibtex-parser';
import { lowered, TRAILING_SUPERSCRIPTS } from './math.ts';
import { normaliseText, toRichText } from './rich-text.ts';
import type { Person } from './types.ts';

/** Marks that al-folio users put next to names (equal contribution, corresponding author). */
const MARKS = /[*∗†‡§¶#]+/gu;

/** Converts the parser's name records; "and others" is reported as `etAl` instead of a person. */
export function toPeople(creators: readonly Creator[] | undefined): { people: Person[]; etAl: boolean } {
  const people: Person[] = [];
  let etAl = false;
  for (const creator of creators ?? []) {
    // BibTeX's "and others"; NASA ADS writes "and et al.", which BibTeX reads as a person.
    const others = creator.name === undefined && ((creator.lastName === 'others' && creator.firstName === undefined) || (creator.firstName === 'et' && /^al\.?$/.test(creator.lastName ?? '')));
    if (others) {
      etAl = true;
      continue;
    }
    let marks = '';
    const clean = (part: string | undefined): string | undefined => {
      if (part === undefined) return undefined;
      // Raised letters or numbers after a name (`Smith$^{1,2}$`, pasted from a paper's byline) mark
      // its affiliations, as the signs do: marks, not part of the name.
      // The parser writes them in Unicode's superscripts where it can ("Liᵃ"), else in <sup>.
      const raised = /<sup>([^<>]+)<\/sup>\s*$/.exec(part) ?? TRAILING_SUPERSCRIPTS.exec(part.trimEnd());
      const name = raised === null ? part : part.slice(0, raised.index);
      const found = name.match(MARKS);
      if (found !== null) marks += found.join('');
      if (raised !== null) marks += lowered(normaliseText(raised[1] ?? raised[0]).trim());
      // A name is plain text: markup around it (`\textbf{Nanos}`, a mark's `$^*$`) is dropped.
      const unmarked = name.replace(MARKS, '');
      const text = unmarked.includes('<') ? toRichText(unmarked).text : normaliseText(unmarked).replace(/\s+/g, ' ').trim();
      return text === '' ? undefined : text;
    };
    const person: Person = {};
    const literal = clean(creator.name);
    const family = clean(creator.lastName);
    const given = clean(creator.firstName);
    const prefix = clean(creator.prefix);
    const suffix = clean(creator.suffix);
    if (literal !== undefined) person.literal = literal;
    if (family !== undefined) person.family = family;
    if (given !== undefined) person.given = given;
    if (prefix !== undefined) person.prefix = prefix;
    if (suffix !== undefined) person.suffix = suffix;
    if (marks !== '') person.marks = marks;
    if (given === undefined && prefix === undefined && family !== undefined && WHOLLY_MARKED_UP.test(creator.lastName ?? '')) splitWholeName(person, family);
    moveSuffix(person);
    if (literal !== undefined || family !== undefined || given !== undefined) people.push(person);
  }
  return { people, etAl };
}

/** A name inside one piece of markup and nothing else: `\textbf{Anastassios Nanos}` as the parser gives it. */
const WHOLLY_MARKED_UP = /^\s*<(b|i|em|strong|u|span)\b[^>]*>[^<]*<\/\1>\s*$/;

/**
 * Markup around a whole name (`\textbf{Anastassios Nanos}`, how a CV bibliography puts its owner
 * in bold) makes it one word to BibTeX, which reads it as a family name alone: it is read as
 * "Given Family" (or "Family, Given") again. A name in plain braces (`{Wang Wei}`, kept in the order written) is not.
 */
function splitWholeName(person: Person, whole: string): void {
  const [family, given] = whole.split(/\s*,\s*/, 2);
  if (given !== undefined && family !== undefined && family !== '' && given !== '') {
    person.family = family;
    person.given = given;
    return;
  }
  const words = whole.split(' ');
  if (words.length < 2) return;
  person.family = words.pop() ?? whole;
  person.given = words.join(' ');
}

/** Han, kana and Hangul alone. */
const EAST_ASIAN = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;

/** "Given prefix Family, Suffix", the way names are shown in lists; family name first in Chinese, Japanese and Korean. */
export function displayName(person: Person): string {
  if (person.literal !== undefined) return person.literal;
  // Chinese, Japanese and Korean names are written family name first, without a space: 王小明.
  if (person.prefix === undefined && person.suffix === undefined && [person.family, person.given].every((part) => part !== undefined && EAST_ASIAN.test(part))) return `${person.family}${person.given}`;
  const name = [person.given, person.prefix, person.family].filter(Boolean).join(' ');
  return person.suffix === undefined ? name : `${name}, ${person.suffix}`;
}

/** "prefix Family, Given, Suffix", the way indexers such as Google Scholar want names. */
export function invertedName(person: Person): string {
  if (person.literal !== undefined) return person.literal;
  const family = [person.prefix, person.family].filter(Boolean).join(' ');
  return [family, person.given, person.suffix].filter(Boolean).join(', ');
}

const SUFFIX = /^(Jr\.?|Sr\.?|II|III|IV)$/;

/**
 * "John Smith, Jr." and "John Doe Jr" put the suffix where BibTeX expects a
 * given or family name; move it back where the owner meant it.
 */
function moveSuffix(person: Person): void {
  if (person.suffix !== undefined || person.literal !== undefined) return;
  const family = person.family?.split(' ') ?? [];
  const given = person.given?.split(' ') ?? [];
  if (person.given !== undefined && SUFFIX.test(person.given) && family.length > 1) {
    person.suffix = person.given;
    person.family = family.pop() ?? '';
    person.given = family.join(' ');
  } else if (person.family !== undefined && SUFFIX.test(person.family) && given.length > 1) {
    person.suffix = person.family;
    person.family = given.pop() ?? '';
    person.given = given.join(' ');
  }
}
