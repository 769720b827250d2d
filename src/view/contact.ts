import type { Site } from '../site/schema.ts';
import { encodeEmail, spellOutEmail } from './email.ts';

export interface ContactView {
  /** The address in a form people read and harvesters do not: "name [at] example [dot] org". */
  emailText: string;
  /** The address encoded for the site's script, which makes it a mailto: link. */
  emailEncoded: string;
  phone?: { text: string; href: string };
  skype?: { text: string; href: string };
  address: string[];
}

export function toContactView(site: Site): ContactView {
  const view: ContactView = { emailText: spellOutEmail(site.email), emailEncoded: encodeEmail(site.email), address: site.address ?? [] };
  if (site.phone !== undefined) view.phone = { text: site.phone, href: `tel:${site.phone.replace(/[^+0-9]/g, '')}` };
  if (site.skype !== undefined) view.skype = { text: site.skype, href: `skype:${encodeURIComponent(site.skype)}?chat` };
  return view;
}
