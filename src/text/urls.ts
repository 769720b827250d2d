import { decodeEntities } from './escape.ts';

/** The URL if it is an absolute http(s) address, otherwise undefined: other schemes never become links. */
export function safeWebUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The schemes a page links to, in Markdown or in HTML: other addresses are reported (see src/content/raw-html.ts). */
export const LINKED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Markdown's test of a link's address (markdown-it's validateLink): one of LINKED_SCHEMES, or no
 * scheme (a path on the site, an anchor). markdown-it's own lets any scheme but four through.
 */
export function isLinkedAddress(url: string): boolean {
  const scheme = /^\s*([a-z][a-z\d+.-]*:)/i.exec(url)?.[1];
  return scheme === undefined || LINKED_SCHEMES.has(scheme.toLowerCase());
}

/** The made-up origin a site's addresses are resolved against: an address with any other origin leaves the site. */
export const SITE_ORIGIN = 'https://site.invalid';

/**
 * Whether the value is a path on this site ("/research/"), and stays one once a browser has read
 * it: browsers read a backslash as a slash and drop tabs and line breaks, so "/\evil.example/"
 * and "/<tab>/evil.example/" are links to another site, as is "//evil.example/".
 */
export function isSitePath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    return new URL(value, `${SITE_ORIGIN}/`).origin === SITE_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * A web address in HTML text: its characters up to a space, a tag or a quote (raw, or `&quot;`:
 * no part of an address), a character reference taken whole (a query's `&amp;`, the `&lt;` and
 * `&gt;` of an old Wiley DOI, "10.1002/(SICI)...35:4<473::AID-JBM7>3.0.CO;2-K"). It ends on
 * neither a sentence's closing punctuation nor a reference: a reference's ";" is never cut from it
 * (a DOI's "&lt;/script&gt;" was linked as "&lt;/script&gt"), and a closing "&gt;" stays out
 * ("<https://...>").
 */
const ADDRESS_IN_HTML = /https?:\/\/(?:[^\s<>"&]|&(?!quot;|#0*34;|#[xX]0*22;)(?:[a-zA-Z][a-zA-Z\d]*|#\d+|#[xX][\da-fA-F]+);)*[^\s<>"&.,;:!?)\]]/g;

/**
 * HTML with the web addresses of its text made links (a citation's DOI, as a CSL style writes
 * it), never one inside a tag or already in a link; a sentence's closing punctuation stays out.
 */
export function withAddressesLinked(html: string): string {
  let inLink = false;
  return html.split(/(<[^>]*>)/).map((part) => {
    if (part.startsWith('<')) {
      if (/^<a[\s>]/i.test(part)) inLink = true;
      else if (/^<\/a>/i.test(part)) inLink = false;
      return part;
    }
    return inLink ? part : part.replace(ADDRESS_IN_HTML, (address) => (safeWebUrl(decodeEntities(address)) === undefined ? address : `<a href="${address}">${address}</a>`));
  }).join('');
}

