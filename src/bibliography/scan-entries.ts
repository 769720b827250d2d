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
  let line = 1;
  let lineStart = true;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      line++;
      lineStart = true;
      continue;
    }
    if (char === '%' && lineStart) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end - 1;
      continue;
    }
    if (char === '@' && lineStart) {
      ENTRY_START.lastIndex = index;
      const match = ENTRY_START.exec(text);
      if (match !== null) {
        const entryType = (match[1] ?? '').toLowerCase();
        // `@article{ title = ...`: what looked like a key is the first field's name.
        const key = match[3] === '=' ? '' : (match[2] ?? '');
        if (directives || !NON_ENTRY_TYPES.has(entryType)) starts.push({ entryType, key, line, offset: index });
      }
    }
    if (char !== ' ' && char !== '\t' && char !== '\r') lineStart = false;
  }
  return starts;
}
