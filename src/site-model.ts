import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadBibliography } from './bibliography/load-bibliography.ts';
import type { Publication } from './bibliography/types.ts';
import { buildPortrait, type PictureView } from './images.ts';
import { ownerMatcher } from './bibliography/owner.ts';
import { loadCv } from './cv/load-cv.ts';
import { lastChanged, parseYearMonth, type YearMonth } from './cv/updated.ts';
import { loadSite } from './site/load-site.ts';
import type { Site } from './site/schema.ts';
import { toContactView, type ContactView } from './view/contact.ts';
import { toCvView, type CvView } from './view/cv.ts';
import { compareNewestFirst, groupByYear, toPublicationView, type PublicationGroup, type PublicationView } from './view/publication-list.ts';

/** Everything the layouts show, computed once per build from the owner's files. */
export interface SiteModel {
  site: Site;
  cv: CvView;
  /** When the CV's inputs last changed (first of the month, UTC): the PDF's date, so builds are reproducible. */
  cvDate: Date;
  contact: ContactView;
  publications: {
    total: number;
    groups: PublicationGroup[];
    /** Papers, theses and books, newest first. */
    papers: PublicationView[];
    /** Posters, talks and other presentations, newest first. */
    presentations: PublicationView[];
  };
}

/** Where the owner's files are, relative to the project root, unless the plugin's options say otherwise. */
export const DEFAULT_SITE_FILE = 'content/_data/site.yaml';
export const DEFAULT_BIBLIOGRAPHY = 'publications.bib';
export const DEFAULT_CV_FILE = 'content/_data/cv.yaml';

export interface SiteFiles {
  root: string;
  siteFile: string;
  cvFile: string;
  bibliography: string;
}

export async function loadSiteModel(files: SiteFiles): Promise<SiteModel> {
  const [site, cv, publications, changed] = await Promise.all([
    loadSite(files.root, files.siteFile),
    loadCv(files.root, files.cvFile),
    loadBibliography(files.root, files.bibliography),
    lastChanged(files.root, [files.cvFile, files.bibliography]),
  ]);
  return {
    site,
    cv: toCvView(cv, changed),
    cvDate: cvDate(cv.updated === undefined ? changed : parseYearMonth(cv.updated)),
    contact: toContactView(site),
    publications: publicationLists(publications, site.author_names),
  };
}

const recentModels = new Map<string, { stamp: string; model: Promise<SiteModel> }>();

/**
 * The site model, read again only when one of its files changed since the
 * last call in this process: the build command checks the owner's files
 * before Eleventy starts writing, and the pages then reuse that work.
 */
export async function currentSiteModel(files: SiteFiles): Promise<SiteModel> {
  const key = JSON.stringify(files);
  const stamp = (
    await Promise.all(
      [files.siteFile, files.cvFile, files.bibliography].map(async (file) => {
        try {
          return createHash('sha256').update(await readFile(path.join(files.root, file))).digest('hex');
        } catch {
          return 'unreadable';
        }
      }),
    )
  ).join('|');
  const cached = recentModels.get(key);
  if (cached !== undefined && cached.stamp === stamp) return cached.model;
  const model = loadSiteModel(files);
  recentModels.set(key, { stamp, model });
  model.catch(() => recentModels.delete(key));
  return model;
}

function cvDate(changed: YearMonth | undefined): Date {
  if (changed !== undefined) return new Date(Date.UTC(changed.year, changed.month - 1, 1));
  const epoch = Number(process.env['SOURCE_DATE_EPOCH']);
  return new Date(Number.isFinite(epoch) ? epoch * 1000 : 0);
}

function publicationLists(publications: readonly Publication[], ownerNames: readonly string[]): SiteModel['publications'] {
  const isOwner = ownerMatcher(ownerNames);
  const sorted = [...publications].sort(compareNewestFirst);
  const views = sorted.map((publication) => toPublicationView(publication, isOwner));
  return {
    total: publications.length,
    groups: groupByYear(views),
    papers: views.filter((view) => view.kind !== 'presentation'),
    presentations: views.filter((view) => view.kind === 'presentation'),
  };
}

export async function loadPortrait(site: Site, files: SiteFiles, contentDir: string, outputDir: string): Promise<PictureView | undefined> {
  if (site.portrait === undefined) return undefined;
  return buildPortrait(path.resolve(files.root, contentDir, site.portrait.src), site.portrait.alt, outputDir);
}
