/**
 * Unicode's Mathematical Alphanumeric Symbols (U+1D400–U+1D7FF): letters and digits whose style is
 * part of their meaning (ℋ is not H, 𝐱 is not x). MathML Core, what Chromium implements, ignores
 * MathML 3's mathvariant attribute (but "normal"): a style must be in the characters themselves.
 * The mapping is the one MathML Core gives for its text transforms (from Unicode's unicode.xml),
 * for every mathvariant of Latin, Greek and digits; the Arabic ones (initial, tailed, looped,
 * stretched) are left out, as no TeX command asks for them.
 */

/** Where a style's alphabets start in the block: A–Z then a–z, GREEK in its order, 0–9. */
interface Alphabets {
  readonly latin?: number;
  readonly greek?: number;
  readonly digits?: number;
}

const ALPHABETS: ReadonlyArray<readonly [string, Alphabets]> = [
  ['bold', { latin: 0x1d400, greek: 0x1d6a8, digits: 0x1d7ce }],
  ['italic', { latin: 0x1d434, greek: 0x1d6e2 }],
  ['bold-italic', { latin: 0x1d468, greek: 0x1d71c }],
  ['script', { latin: 0x1d49c }],
  ['bold-script', { latin: 0x1d4d0 }],
  ['fraktur', { latin: 0x1d504 }],
  ['double-struck', { latin: 0x1d538, digits: 0x1d7d8 }],
  ['bold-fraktur', { latin: 0x1d56c }],
  ['sans-serif', { latin: 0x1d5a0, digits: 0x1d7e2 }],
  ['bold-sans-serif', { latin: 0x1d5d4, greek: 0x1d756, digits: 0x1d7ec }],
  ['sans-serif-italic', { latin: 0x1d608 }],
  ['sans-serif-bold-italic', { latin: 0x1d63c, greek: 0x1d790 }],
  ['monospace', { latin: 0x1d670, digits: 0x1d7f6 }],
];

const LATIN = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
/** The block's Greek: capitals (with ϴ where U+03A2 is unassigned), nabla, small letters, the partial differential and the variant forms. */
const GREEK = [...'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ∇αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ'];
const DIGITS = [...'0123456789'];

/** Letters encoded before the block, in Letterlike Symbols: their places in it are reserved ("holes"). */
const HOLES: ReadonlyMap<number, string> = new Map([
  [0x1d455, 'ℎ'],
  [0x1d49d, 'ℬ'], [0x1d4a0, 'ℰ'], [0x1d4a1, 'ℱ'], [0x1d4a3, 'ℋ'], [0x1d4a4, 'ℐ'], [0x1d4a7, 'ℒ'], [0x1d4a8, 'ℳ'], [0x1d4ad, 'ℛ'], [0x1d4ba, 'ℯ'], [0x1d4bc, 'ℊ'], [0x1d4c4, 'ℴ'],
  [0x1d506, 'ℭ'], [0x1d50b, 'ℌ'], [0x1d50c, 'ℑ'], [0x1d515, 'ℜ'], [0x1d51d, 'ℨ'],
  [0x1d53a, 'ℂ'], [0x1d53f, 'ℍ'], [0x1d545, 'ℕ'], [0x1d547, 'ℙ'], [0x1d548, 'ℚ'], [0x1d549, 'ℝ'], [0x1d551, 'ℤ'],
]);

/** Characters outside the alphabets above: the dotless i and j in italic, digamma in bold. */
const EXTRAS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  italic: [['ı', '𝚤'], ['ȷ', '𝚥']],
  bold: [['Ϝ', '𝟊'], ['ϝ', '𝟋']],
};

function styleTable(variant: string, alphabets: Alphabets): ReadonlyMap<string, string> {
  const table = new Map<string, string>(EXTRAS[variant] ?? []);
  const add = (characters: readonly string[], start: number | undefined): void => {
    if (start === undefined) return;
    characters.forEach((character, index) => table.set(character, HOLES.get(start + index) ?? String.fromCodePoint(start + index)));
  };
  add(LATIN, alphabets.latin);
  add(GREEK, alphabets.greek);
  add(DIGITS, alphabets.digits);
  return table;
}

const STYLED: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(ALPHABETS.map(([variant, alphabets]) => [variant, styleTable(variant, alphabets)]));

/** The character in a mathvariant's style (𝐱, ℋ, 𝟙), or undefined when Unicode has no such character. */
export function styledCharacter(character: string, variant: string): string | undefined {
  return STYLED.get(variant)?.get(character);
}
