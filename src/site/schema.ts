import path from 'node:path';
import { z } from 'zod';
import { isSitePath } from '../text/urls.ts';
import { isWebUrl } from './environment.ts';

const webUrl = z.string().refine(isWebUrl, { message: 'must be a full http:// or https:// address' });

// A path a browser keeps on this site: "/\\evil.example/" and "//evil.example/" lead elsewhere (see isSitePath).
const sitePath = z.string().refine(isSitePath, {
  message: 'must be a path on this site: starting with a single "/", without backslashes, e.g. /research/',
});

const assetPath = z
  .string()
  .refine((value) => !value.startsWith('/') && !value.includes('..') && !/^[a-z]+:/i.test(value), {
    message: 'must be a file path relative to content/, e.g. assets/portrait.jpg',
  });

/** ORCID iDs end in a check character (ISO 7064 MOD 11-2), so typos are caught. */
export function isValidOrcid(id: string): boolean {
  if (!/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(id)) return false;
  const digits = id.replaceAll('-', '');
  let total = 0;
  for (const digit of digits.slice(0, -1)) total = (total + Number(digit)) * 2;
  const check = (12 - (total % 11)) % 11;
  return digits.at(-1) === (check === 10 ? 'X' : String(check));
}

/** A link to the owner's presence elsewhere: code hosting, scholarly profiles, an older homepage. */
const profileSchema = z
  .strictObject({
    /** Shown as the link text, e.g. "GitHub". */
    label: z.string().min(1),
    url: webUrl,
  })
  .superRefine((profile, context) => {
    let url: URL;
    try {
      url = new URL(profile.url);
    } catch {
      return;
    }
    if (/(^|\.)orcid\.org$/i.test(url.hostname) && !isValidOrcid(url.pathname.replace(/^\/|\/$/g, ''))) {
      context.addIssue({ code: 'custom', path: ['url'], message: `"${url.pathname.slice(1)}" is not a valid ORCID iD (0000-0000-0000-000X with a correct check digit)` });
    }
  });

export const siteSchema = z.strictObject({
  /** The owner's name as it should appear in the page header and titles. */
  name: z.string().min(1),
  /** Job title, e.g. "Researcher". */
  title: z.string().min(1),
  affiliation: z.string().min(1).optional(),
  /** One or two sentences for search engines and link previews. */
  description: z.string().min(1),
  /** Where the site is published, e.g. https://ananos.github.io; used for absolute links in metadata. SITE_URL overrides it. */
  url: webUrl.optional(),
  /** A custom domain for GitHub Pages, e.g. www.example.org: written to the CNAME file. */
  custom_domain: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as www.example.org, without https://').optional(),
  /** BCP 47 language tag of the content, e.g. "en". */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "en-GB"').default('en'),
  /** The owner's name as it appears in author lists, in any spelling used by the bibliography. */
  author_names: z.array(z.string().min(1)).min(1),
  /** Never published as is: pages show it spelled out, and the site's script makes it a link. */
  email: z.email(),
  /** Whether /cv.pdf, /cv.json and /contact.vcf carry the e-mail address (public files that harvesters read too). */
  email_in_downloads: z.boolean().default(false),
  phone: z.string().regex(/^\+?[0-9][0-9 ()-]{4,}$/, 'must be a phone number such as +44-7428318494').optional(),
  skype: z.string().regex(/^[A-Za-z0-9._:-]+$/, 'must be a Skype name').optional(),
  address: z.array(z.string().min(1)).min(1).optional(),
  portrait: z
    .strictObject({
      src: assetPath,
      /** Describes the picture for people who cannot see it. */
      alt: z.string().min(1),
    })
    .optional(),
  profiles: z.array(profileSchema).default([]),
  /** The navigation, in order. */
  nav: z.array(z.strictObject({ label: z.string().min(1), url: sitePath })).min(1),
  /** How the publication list is presented. */
  publications: z
    .strictObject({
      /** `type`: one section per kind of work (articles, papers, theses, posters...), each by year; `year`: one list by year. */
      group_by: z.enum(['year', 'type']).default('year'),
      /** A CSL style for the "Cite" text: apa, vancouver, harvard1, or a .csl file in the project. */
      style: z
        .string()
        .min(1)
        // A file of the project's own, by its path in it: nothing outside it is read for the site.
        .refine((style) => !/[\\/]/.test(style) || (/\.csl$/i.test(style) && !path.isAbsolute(style) && !style.split(/[\\/]/).includes('..')), {
          message: 'must be a built-in style (apa, vancouver, harvard1) or the path of a .csl file inside the project, such as styles/ieee.csl',
        })
        .optional(),
      /** Fields left out of the BibTeX that visitors copy, besides al-folio's display fields and `file`. */
      hide_fields: z.array(z.string().regex(/^[A-Za-z][\w+-]*$/, 'must be a BibTeX field name')).default([]),
      /** How many selected publications (`selected = {true}`) the home page shows. */
      selected_on_home: z.number().int().min(0).default(5),
      /** How many authors an entry names in lists and the CV before "and N more" (its own page names them all). */
      max_authors: z.number().int().min(1).default(20),
    })
    .default({ group_by: 'year', hide_fields: [], selected_on_home: 5, max_authors: 20 }),
  /** Shown in the footer, e.g. a copyright line. */
  footer: z.string().optional(),
});

export type Site = z.output<typeof siteSchema>;
