import type { Publication } from '../bibliography/types.ts';
import type { Site } from '../site/schema.ts';
import type { Cv } from './schema.ts';

/**
 * The CV in the JSON Resume format (jsonresume.org, schema 1.0), so that its
 * themes and tools can use it. Dates stay as written: "2015" or "2015-02".
 */
export function toJsonResume(site: Site, cv: Cv, publications: readonly Publication[], siteUrl: string | undefined): Record<string, unknown> {
  const basics: Record<string, unknown> = {
    name: site.name,
    label: site.affiliation === undefined ? site.title : `${site.title}, ${site.affiliation}`,
    summary: site.description,
    profiles: site.profiles.map((profile) => ({ network: profile.label, url: profile.url })),
  };
  if (site.email_in_downloads) basics['email'] = site.email;
  if (site.phone !== undefined) basics['phone'] = site.phone;
  if (siteUrl !== undefined) basics['url'] = siteUrl;
  if (site.address !== undefined) basics['location'] = { address: site.address.join(', ') };
  return {
    $schema: 'https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json',
    basics,
    work: cv.positions.map((position) => ({
      name: position.organisation,
      position: position.title,
      ...(position.place === undefined ? {} : { location: position.place }),
      startDate: position.start,
      ...(position.end === undefined ? {} : { endDate: position.end }),
    })),
    volunteer: cv.service.map((item) => ({
      ...(item.organisation === undefined ? {} : { organization: item.organisation }),
      position: item.role,
      ...periodOf(item.date),
    })),
    // The schema has no place for a thesis, its advisor or where one studied (its `area` is the
    // field of study, its `courses` the courses taken): they are given under names of their own,
    // which the schema allows and tools that do not know them pass over.
    education: cv.education.map((degree) => ({
      institution: degree.institution,
      studyType: degree.degree,
      endDate: degree.date,
      ...(degree.place === undefined ? {} : { location: degree.place }),
      ...(degree.thesis === undefined ? {} : { thesis: degree.thesis }),
      ...(degree.advisor === undefined ? {} : { advisor: degree.advisor }),
    })),
    awards: cv.awards.map((award) => ({
      title: award.title,
      ...(award.date === undefined ? {} : { date: award.date }),
      ...(award.awarder === undefined ? {} : { awarder: award.awarder }),
      ...(award.detail === undefined ? {} : { summary: award.detail }),
    })),
    publications: publications.map((publication) => {
      // A thesis's venue is its genre and school: its school published it. A book has no venue: its publisher.
      const publisher = publication.kind === 'thesis' ? publication.school : publication.venue?.text ?? publication.publisher;
      const url = workUrl(publication);
      return {
        name: publication.title.text,
        ...(publisher === undefined ? {} : { publisher }),
        ...(publication.year === undefined ? {} : { releaseDate: isoYearMonth(publication.year, publication.month) }),
        ...(url === undefined ? {} : { url }),
        ...(publication.abstract === undefined ? {} : { summary: publication.abstract.text }),
      };
    }),
    languages: cv.languages.map((language) => ({ language: language.language, ...(language.fluency === undefined ? {} : { fluency: language.fluency }) })),
    interests: cv.interests.map((name) => ({ name })),
    // Sections the schema lacks, under names of their own (as the thesis above).
    ...(cv.teaching.length === 0 ? {} : {
      teaching: cv.teaching.map((item) => ({
        course: item.course,
        ...(item.role === undefined ? {} : { role: item.role }),
        ...(item.institution === undefined ? {} : { institution: item.institution }),
        ...periodOf(item.date),
      })),
    }),
    ...(cv.memberships.length === 0 ? {} : { memberships: cv.memberships.map((item) => ({ name: item.name, ...(item.since === undefined ? {} : { startDate: item.since }) })) }),
    meta: { version: 'v1.0.0', canonical: siteUrl === undefined ? undefined : new URL('cv.json', siteUrl).href },
  };
}

/**
 * A free-text date of the CV ("2015", "2015-02", "2012–2015") as the schema's start and end dates,
 * or as a summary when it is something else ("spring terms").
 */
function periodOf(date: string | undefined): { startDate?: string; endDate?: string; summary?: string } {
  if (date === undefined) return {};
  const yearMonth = String.raw`\d{4}(?:-(?:0[1-9]|1[0-2]))?`;
  const period = new RegExp(String.raw`^(${yearMonth})(?:\s*(?:–|—|--?|to)\s*(${yearMonth}))?$`).exec(date.trim());
  if (period === null) return { summary: date };
  const [, start = '', end = start] = period;
  return { startDate: start, endDate: end };
}

function isoYearMonth(year: number, month: number | undefined): string {
  return month === undefined ? String(year) : `${year}-${String(month).padStart(2, '0')}`;
}

/** Where the work itself is: its DOI's address, its url, or the first of its other links to the web (its arXiv page, a PDF). */
function workUrl(publication: Publication): string | undefined {
  if (publication.doi !== undefined) return `https://doi.org/${publication.doi}`;
  return publication.url ?? publication.links.find((link) => /^https?:\/\//.test(link.href))?.href;
}
