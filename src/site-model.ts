import path from 'node:path';
import { loadBibliography } from './bibliography/load-bibliography.ts';
import type { Publication } from './bibliography/types.ts';
import { buildPortrait, type PictureView } from './images.ts';
import { ownerMatcher } from './bibliography/owner.ts';
import { loadSite } from './site/load-site.ts';
import type { Site } from './site/schema.ts';
import { toContactView, type ContactView } from './view/contact.ts';
import { compareNewestFirst, groupByYear, toPublicationView, type PublicationGroup, type PublicationView } from './view/publication-list.ts';

/** Everything the layouts show, computed once per build from the owner's files. */
export interface SiteModel {
  site: Site;
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

export interface SiteFiles {
  root: string;
  siteFile: string;
  bibliography: string;
}

export async function loadSiteModel(files: SiteFiles): Promise<SiteModel> {
  const [site, publications] = await Promise.all([
    loadSite(files.root, files.siteFile),
    loadBibliography(files.root, files.bibliography),
  ]);
  return { site, contact: toContactView(site), publications: publicationLists(publications, site.author_names) };
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
  return buildPortrait(path.join(files.root, contentDir, site.portrait.src), site.portrait.alt, outputDir);
}
