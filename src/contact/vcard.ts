/**
 * A vCard 4.0 (RFC 6350) for the owner, from the site data: escaped as
 * section 3.4 requires, folded at 75 octets (section 3.2), CRLF line ends.
 */
export interface VcardInput {
  formattedName: string;
  family?: string;
  given?: string;
  title?: string;
  organisation?: string;
  phone?: string;
  skype?: string;
  /** Postal address lines, written as the street part and as the label. */
  address?: readonly string[];
  urls: readonly string[];
  photo?: string;
  email?: string;
}

/** Escapes a text value: backslash, comma, semicolon and newline. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line into lines of at most 75 octets, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function toVcard(input: VcardInput): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `FN:${escapeText(input.formattedName)}`];
  lines.push(`N:${escapeText(input.family ?? '')};${escapeText(input.given ?? '')};;;`);
  if (input.title !== undefined) lines.push(`TITLE:${escapeText(input.title)}`);
  if (input.organisation !== undefined) lines.push(`ORG:${escapeText(input.organisation)}`);
  if (input.email !== undefined) lines.push(`EMAIL;TYPE=work:${escapeText(input.email)}`);
  if (input.phone !== undefined) lines.push(`TEL;VALUE=uri;TYPE=voice:tel:${input.phone.replace(/[^+0-9]/g, '')}`);
  if (input.skype !== undefined) lines.push(`IMPP:skype:${input.skype}`);
  if (input.address !== undefined && input.address.length > 0) {
    const label = input.address.join('\n');
    lines.push(`ADR;LABEL="${label.replace(/\n/g, '\\n').replace(/"/g, "'")}":;;${escapeText(input.address.join(', '))};;;;`);
  }
  for (const url of input.urls) lines.push(`URL:${url}`);
  if (input.photo !== undefined) lines.push(`PHOTO:${input.photo}`);
  lines.push('END:VCARD');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
