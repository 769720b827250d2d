import { escapeXml } from '../text/escape.ts';

/**
 * The owner's e-mail address never appears in a built file as it is. Pages
 * show it spelled out for people ("name [dot] surname [at] example [dot] org")
 * and carry it encoded for the site's script, which turns it into a mailto:
 * link in the browser.
 */

/** "anastassios.nanos@example.org" as "anastassios [dot] nanos [at] example [dot] org". */
export function spellOutEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const spell = (part: string): string => part.replaceAll('.', ' [dot] ');
  return `${spell(email.slice(0, at))} [at] ${spell(email.slice(at + 1))}`;
}

/** Reversed, then base64: no "@", no dots, nothing a harvester's pattern matches. The script reverses it. */
export function encodeEmail(email: string): string {
  return Buffer.from([...email].reverse().join(''), 'utf8').toString('base64');
}

/** The HTML for the address in running text: readable without JavaScript, a link with it. */
export function emailHtml(email: string): string {
  return `<span class="email" data-email="${encodeEmail(email)}">${escapeXml(spellOutEmail(email))}</span>`;
}
