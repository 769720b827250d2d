/**
 * ISBNs and ISSNs as exports write them: one or several in a field ("978-3-319-52677-5
 * 978-3-319-51393-5", the print and the electronic book's; JSTOR's "00129682, 14680262"), with a
 * label or a binding now and then ("Print ISBN-13: ...", "e-ISSN 1476-4687", "0-19-852663-6
 * (pbk.)"), and the groups of an ISBN parted by hyphens or spaces. Each is kept once its check
 * digit is right; one whose check digit is wrong is a typo that indexers would take for another
 * book or journal.
 */

export interface StandardNumbers {
  /** The numbers whose check digit is right: an ISBN as written, an ISSN as 1234-567X. */
  valid: string[];
  /** The rest, as written. */
  invalid: string[];
}

/** ISBN-10 (the last character may be X) or ISBN-13, as written (groups parted by spaces parted by hyphens). */
export function isbnsIn(value: string): StandardNumbers {
  return numbersIn(value, isIsbn, (written) => written.replace(/\s+/g, '-').toUpperCase());
}

/** ISSN: seven digits and a check digit that may be X, in its usual form 1234-567X. */
export function issnsIn(value: string): StandardNumbers {
  return numbersIn(value, (digits) => /^\d{7}[\dX]$/.test(digits) && weightedSum(digits, (index) => 8 - index) % 11 === 0, (_written, digits) => `${digits.slice(0, 4)}-${digits.slice(4)}`);
}

/** What names or qualifies a number and parts it from the next: "ISBN-13:", "e-ISSN", "ISSN-L", "Print", "(pbk.)", "/", "and". */
const NOT_OF_A_NUMBER = /\([^)]*\)|\b(?:isbn|issn)(?:-?1[03]|-?l)?\b|(?<![\d\s-])[Xx]|[^\dXx\s-]/gi;

function numbersIn(value: string, isValid: (digits: string) => boolean, normalise: (written: string, digits: string) => string): StandardNumbers {
  const result: StandardNumbers = { valid: [], invalid: [] };
  const digitsOf = (written: string): string => written.replace(/[\s-]/g, '').toUpperCase();
  const add = (written: string): void => {
    const digits = digitsOf(written);
    if (isValid(digits)) result.valid.push(normalise(written, digits));
    else result.invalid.push(written);
  };
  for (const listed of value.replace(NOT_OF_A_NUMBER, ',').split(',')) {
    const part = listed.replace(/^[\s-]+|[\s-]+$/g, '');
    if (!/\d/.test(part)) continue;
    // Groups parted by spaces make one number; numbers parted by spaces (each a number's length) are several.
    const words = part.split(/\s+/);
    if (isValid(digitsOf(part)) || words.length === 1 || words.some((word) => digitsOf(word).length < 8)) add(part);
    else words.forEach(add);
  }
  return result;
}

function isIsbn(digits: string): boolean {
  if (/^\d{9}[\dX]$/.test(digits)) return weightedSum(digits, (index) => 10 - index) % 11 === 0;
  return /^97[89]\d{10}$/.test(digits) && weightedSum(digits, (index) => (index % 2 === 0 ? 1 : 3)) % 10 === 0;
}

/** The sum of the digits (X is 10) times their weights. */
function weightedSum(digits: string, weight: (index: number) => number): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) sum += (digits[index] === 'X' ? 10 : Number(digits[index])) * weight(index);
  return sum;
}
