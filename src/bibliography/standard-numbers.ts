/**
 * ISBNs and ISSNs as exports write them: one or several in a field ("978-3-319-52677-5
 * 978-3-319-51393-5", the print and the electronic book's), with a label or a binding now and then
 * ("ISBN 0-19-852663-6 (pbk.)"), and the groups of an ISBN parted by hyphens or spaces. Each is
 * kept as written once its check digit is right; one whose check digit is wrong is a typo that
 * indexers would take for another book or journal.
 */

export interface StandardNumbers {
  /** The numbers whose check digit is right, as written (hyphens kept, spaces made hyphens). */
  valid: string[];
  /** The rest, as written. */
  invalid: string[];
}

/** ISBN-10 (the last character may be X) or ISBN-13. */
export function isbnsIn(value: string): StandardNumbers {
  return numbersIn(value, /^isbn(?:-1[03])?:?\s*/i, isIsbn);
}

/** ISSN: eight characters, the last may be X, usually written 1234-567X. */
export function issnsIn(value: string): StandardNumbers {
  return numbersIn(value, /^e?issn:?\s*/i, (digits) => /^\d{7}[\dX]$/.test(digits) && weightedSum(digits, (index) => 8 - index) % 11 === 0);
}

function numbersIn(value: string, label: RegExp, isValid: (digits: string) => boolean): StandardNumbers {
  const result: StandardNumbers = { valid: [], invalid: [] };
  const digitsOf = (written: string): string => written.replace(/[\s-]/g, '').toUpperCase();
  for (const listed of value.split(/[,;]|\band\b/)) {
    // A binding or format after a number is no part of it: "(pbk.)", "(online)".
    const part = listed.replace(/\([^)]*\)/g, ' ').replace(label, '').trim();
    if (part === '') continue;
    // Groups parted by spaces make one number; numbers parted by spaces (each a number's length) are several.
    const words = part.split(/\s+/).filter((word) => !/^(?:isbn(?:-1[03])?|e?issn):?$/i.test(word));
    const written = isValid(digitsOf(part)) || words.some((word) => digitsOf(word).length < 8) ? [part] : words;
    for (const number of written) {
      if (isValid(digitsOf(number))) result.valid.push(number.replace(/\s+/g, '-'));
      else result.invalid.push(number);
    }
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
