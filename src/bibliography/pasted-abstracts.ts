import { needsMathMl } from './math.ts';
import { latex2unicode } from './unicode-tables.ts';

// Abstracts pasted into Mendeley or Zotero, which their exports escape twice. Only read-bibtex.ts uses this.

/** What stands for "<" and ">" in a value until it is safe HTML. */
export const ANGLE_PLACEHOLDERS = { lt: '\uE000', gt: '\uE001' } as const;

/** Text with its "<" and ">" as ANGLE_PLACEHOLDERS, so that nothing reads them as markup; read-bibtex.ts's `rich` makes them text again. */
export function withAnglesHeld(text: string): string {
  return text.replaceAll('<', ANGLE_PLACEHOLDERS.lt).replaceAll('>', ANGLE_PLACEHOLDERS.gt);
}

const ESCAPED_BACKSLASH = String.raw`(?:\$\\backslash\$|\\)`;
/** "\n", "\r\n" and the spaces around them, the letters after them, once or several times. */
const ESCAPED_LINE_BREAK = new RegExp(String.raw`\s*(?:${ESCAPED_BACKSLASH}r)?${ESCAPED_BACKSLASH}n([A-Za-z]*)`, 'g');
/** Commands of layout beginning with "n", escaped with the rest: a space, as a line break is. */
const LAYOUT_COMMANDS_WITH_N = new Set(['newline', 'newpage', 'noindent', 'nolimits', 'nonumber', 'normalsize', 'nobreak']);

/**
 * An abstract pasted into Mendeley or Zotero and escaped twice by their exports, as it was: its
 * line breaks (`\$\textbackslash backslash\$n`, which the parser reads "$\backslash$n", or
 * `\textbackslash n`, "\n"; "\r" before them) a space, where paragraphs part or a PDF's line
 * ended, and its "<" and ">" (`\textbackslash textless`) angles (as ANGLE_PLACEHOLDERS, which
 * `rich` puts back as the characters). A "\n" that begins a command of math escaped the same way
 * (\nu, \notin, \nleq) is left alone; one of layout (\noindent) is a space too.
 */
export function asPasted(abstract: string | undefined): string | undefined {
  if (abstract === undefined || !/\\(?:text(?:less|greater)|[rn])|backslash\$[rn]/.test(abstract)) return abstract;
  return abstract
    .replace(ESCAPED_LINE_BREAK, (whole, letters: string) => (LAYOUT_COMMANDS_WITH_N.has(`n${letters}`) ? ' ' : isMathCommand(`n${letters}`) ? whole : ` ${letters}`))
    .replace(/\\text(less|greater)/g, (_command, which: string) => (which === 'less' ? ANGLE_PLACEHOLDERS.lt : ANGLE_PLACEHOLDERS.gt));
}

/** A command the parser's table or KaTeX (as NEEDS_MATHML knows it) has. */
function isMathCommand(name: string): boolean {
  return Object.hasOwn(latex2unicode, `\\${name}`) || needsMathMl(`\\${name}`);
}
