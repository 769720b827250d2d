/** The URL if it is an absolute http(s) address, otherwise undefined: other schemes never become links. */
export function safeWebUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
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
