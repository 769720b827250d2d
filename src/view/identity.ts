import type { VcardInput } from '../contact/vcard.ts';
import type { PictureView } from '../images.ts';
import type { Site } from '../site/schema.ts';

/** "Nanos, Anastassios" (the first author-list spelling) as family and given name. */
export function nameParts(site: Site): { family?: string; given?: string } {
  const first = site.author_names[0] ?? site.name;
  const [family, given] = first.includes(',') ? first.split(',', 2).map((part) => part.trim()) : [first.split(' ').at(-1), first.split(' ').slice(0, -1).join(' ')];
  return { ...(family ? { family } : {}), ...(given ? { given } : {}) };
}

/** An absolute URL for a site path when the site's address is known. */
export function absolute(sitePath: string, siteUrl: string | undefined): string | undefined {
  return siteUrl === undefined ? undefined : new URL(sitePath.replace(/^\//, ''), siteUrl).href;
}

/** schema.org Person for the home page, safe to put in a `<script type="application/ld+json">`. The e-mail is left out. */
export function personJsonLd(site: Site, portrait: PictureView | undefined, siteUrl: string | undefined): string {
  const person: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Person',
    name: site.name,
    jobTitle: site.title,
    description: site.description,
    ...nameParts(site),
  };
  if (person['family'] !== undefined) {
    person['familyName'] = person['family'];
    delete person['family'];
  }
  if (person['given'] !== undefined) {
    person['givenName'] = person['given'];
    delete person['given'];
  }
  if (site.affiliation !== undefined) person['affiliation'] = { '@type': 'Organization', name: site.affiliation };
  if (site.address !== undefined) person['address'] = { '@type': 'PostalAddress', streetAddress: site.address.join(', ') };
  if (site.phone !== undefined) person['telephone'] = site.phone;
  if (site.profiles.length > 0) person['sameAs'] = site.profiles.map((profile) => profile.url);
  if (portrait !== undefined) person['image'] = absolute(portrait.largest, siteUrl) ?? portrait.largest;
  if (siteUrl !== undefined) person['url'] = siteUrl;
  return JSON.stringify(person).replace(/</g, '\\u003c');
}

export function vcardInput(site: Site, portrait: PictureView | undefined, siteUrl: string | undefined): VcardInput {
  const photo = portrait === undefined ? undefined : absolute(portrait.largest, siteUrl);
  return {
    formattedName: site.name,
    ...nameParts(site),
    title: site.title,
    ...(site.affiliation === undefined ? {} : { organisation: site.affiliation }),
    ...(site.phone === undefined ? {} : { phone: site.phone }),
    ...(site.skype === undefined ? {} : { skype: site.skype }),
    ...(site.address === undefined ? {} : { address: site.address }),
    urls: [...(siteUrl === undefined ? [] : [siteUrl]), ...site.profiles.map((profile) => profile.url)],
    ...(photo === undefined ? {} : { photo }),
    ...(site.email_in_downloads ? { email: site.email } : {}),
  };
}
