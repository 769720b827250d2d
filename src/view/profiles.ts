import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The package exports only its index; the SVG files sit beside it in icons/.
const ICONS = path.join(path.dirname(require.resolve('simple-icons')), 'icons');

/** simple-icons slugs by the host of a profile URL. */
const ICON_BY_HOST: ReadonlyArray<[RegExp, string]> = [
  [/(^|\.)github\.com$/, 'github'],
  [/(^|\.)gitlab\.com$/, 'gitlab'],
  [/(^|\.)bitbucket\.org$/, 'bitbucket'],
  [/(^|\.)orcid\.org$/, 'orcid'],
  [/^scholar\.google\./, 'googlescholar'],
  [/(^|\.)dblp\.(org|uni-trier\.de)$/, 'dblp'],
  [/(^|\.)researchgate\.net$/, 'researchgate'],
  [/(^|\.)semanticscholar\.org$/, 'semanticscholar'],
  [/(^|\.)arxiv\.org$/, 'arxiv'],
  [/(^|\.)(x|twitter)\.com$/, 'x'],
  [/(^|\.)bsky\.app$/, 'bluesky'],
  [/(^|\.)youtube\.com$/, 'youtube'],
  [/(^|\.)zenodo\.org$/, 'zenodo'],
];

/** A plain link symbol for sites without a brand icon (drawn for this project). */
const GENERIC_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a3 3 0 1 1 4.2 4.2l-2 2a1 1 0 0 1-1.4-1.4l2-2a1 1 0 1 0-1.4-1.4l-3.5 3.5a1 1 0 0 1-1.4 0Zm2.8-2.8a1 1 0 0 1 0 1.4l-3.5 3.5a3 3 0 1 1-4.2-4.2l2-2a1 1 0 0 1 1.4 1.4l-2 2a1 1 0 1 0 1.4 1.4l3.5-3.5a1 1 0 0 1 1.4 0Z"/></svg>';

export interface ProfileView {
  label: string;
  url: string;
  /** Inline SVG, hidden from assistive technology: the link text names the profile. */
  iconSvg: string;
}

const cache = new Map<string, string>();

/** The brand icon for a profile URL from simple-icons, or a generic link icon. */
export function profileIcon(url: string): string {
  const host = new URL(url).hostname.toLowerCase();
  const slug = ICON_BY_HOST.find(([pattern]) => pattern.test(host))?.[1];
  if (slug === undefined) return GENERIC_ICON;
  let svg = cache.get(slug);
  if (svg === undefined) {
    svg = readFileSync(path.join(ICONS, `${slug}.svg`), 'utf8')
      .replace(/<title>.*?<\/title>/, '')
      .replace(/^<svg role="img"/, '<svg width="20" height="20" aria-hidden="true" focusable="false" fill="currentColor"');
    cache.set(slug, svg);
  }
  return svg;
}

export function toProfileViews(profiles: ReadonlyArray<{ label: string; url: string }>): ProfileView[] {
  return profiles.map((profile) => ({ ...profile, iconSvg: profileIcon(profile.url) }));
}
