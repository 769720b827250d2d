/** Where an entry starts in the BibTeX source, found without parsing its fields. */
export interface EntryStart {
  entryType: string;
  key: string;
  line: number;
  /** Offset of the `@` in the text. */
  offset: number;
}

const ENTRY_START = /@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()=]*)\s*(=?)/y;
export const NON_ENTRY_TYPES: ReadonlySet<string> = new Set(['string', 'comment', 'preamble']);

/**
 * Lists the entries of a BibTeX file with their line numbers, so that
 * problems can be reported at the entry's line. It is a locator, not a parser:
 * an `@` starts an entry only when it is the first thing on its line, and
 * `%` lines are skipped. With `directives`, @string, @preamble and @comment
 * are listed too.
 */
export function scanEntryStarts(text: string, { directives = false } = {}): EntryStart[] {
  const starts: EntryStart[] = [];
  // From one `@` to the next: an `@` starts an entry when only spaces, tabs and carriage returns
  // come before it on its line (so never on a `%` line). Lines are counted on the way.
  let line = 1;
  let counted = 0;
  for (let index = text.indexOf('@'); index !== -1; index = text.indexOf('@', index + 1)) {
    if (!atLineStart(text, index)) continue;
    line += lineBreaks(text, counted, index);
    counted = index;
    ENTRY_START.lastIndex = index;
    const match = ENTRY_START.exec(text);
    if (match === null) continue;
    const entryType = (match[1] ?? '').toLowerCase();
    // `@article{ title = ...`: what looked like a key is the first field's name.
    const key = match[3] === '=' ? '' : (match[2] ?? '');
    if (directives || !NON_ENTRY_TYPES.has(entryType)) starts.push({ entryType, key, line, offset: index });
  }
  return starts;
}

/** How many line breaks the text has from `start` up to (not including) `end`. */
export function lineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', start); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Whether nothing but spaces, tabs and carriage returns comes before `index` on its line. */
function atLineStart(text: string, index: number): boolean {
  for (let before = index - 1; before >= 0; before--) {
    const code = text.charCodeAt(before);
    if (code === 0x0a) return true;
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}
