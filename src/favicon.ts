import { escapeXml } from './text/escape.ts';

/** The initials of a name: "Anastassios Nanos" gives "AN". */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  const picked = words.length <= 2 ? words : [words[0] ?? '', words.at(-1) ?? ''];
  return picked.map((word) => [...word.normalize('NFC')].find((char) => /\p{L}/u.test(char))?.toUpperCase() ?? '').join('');
}

/** A small SVG icon with the owner's initials, so browsers have a favicon without an extra file to maintain. */
export function faviconSvg(name: string): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    '<rect width="64" height="64" rx="12" fill="#1d5b8f"/>' +
    `<text x="32" y="42" text-anchor="middle" font-family="system-ui, sans-serif" font-size="28" font-weight="700" fill="#fff">${escapeXml(initials(name))}</text>` +
    '</svg>\n'
  );
}
