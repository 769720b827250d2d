import type { Site } from '../site/schema.ts';

export interface ContactView {
  /** The address in a form people read and harvesters do not: "name [at] example [dot] org". */
  emailText: string;
  phone?: { text: string; href: string };
  skype?: { text: string; href: string };
  address: string[];
}

/** Writes an e-mail address for people: "@" and "." spelled out, so it never appears verbatim. */
export function obfuscateEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).replaceAll('.', ' [dot] ');
  const domain = email.slice(at + 1).replaceAll('.', ' [dot] ');
  return `${local} [at] ${domain}`;
}

export function toContactView(site: Site): ContactView {
  const view: ContactView = { emailText: obfuscateEmail(site.email), address: site.address ?? [] };
  if (site.phone !== undefined) view.phone = { text: site.phone, href: `tel:${site.phone.replace(/[^+0-9]/g, '')}` };
  if (site.skype !== undefined) view.skype = { text: site.skype, href: `skype:${encodeURIComponent(site.skype)}?chat` };
  return view;
}
