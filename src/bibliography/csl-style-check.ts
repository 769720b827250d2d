import { createRequire } from 'node:module';
import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml';
import { formatLocation, type Problem, type SourceLocation } from '../errors.ts';
import { closestMatch } from '../text/closest-match.ts';

/**
 * A project's own .csl file, checked when it is read, before anything is formatted with it.
 * citeproc reads a style with a lenient parser of its own and trusts what it finds: a file cut off
 * part-way formats without a word, a dependent style (what Zotero's style repository gives for most
 * journals) or one without a <bibliography> fails deep inside it ("bibliography2 is not iterable"),
 * and a macro it cannot find is left out of every entry.
 */

/** The namespace every CSL style declares on its <style> element. */
const CSL_NAMESPACE = 'http://purl.org/net/xbiblio/csl';

/** Where a style came from, for the messages. */
export interface StyleOrigin {
  /** The .csl file, relative to the project root. */
  file: string;
  /** The line of site.yaml that names the style, said after each error. */
  namedAt?: SourceLocation;
  /** The styles the build has without a file, to suggest instead of a dependent style. */
  builtInStyles: readonly string[];
  /** The locales the build has offline (see offlineLocales). */
  locales: readonly string[];
}

export interface StyleCheck {
  /** What stops the build: the style cannot be used as it is. */
  errors: Problem[];
  warnings: Problem[];
  /** The locale to format with: the style's default-locale, or the nearest one the build has. */
  locale: string;
}

/** The locale citeproc falls back to, and that a style without a default-locale is formatted in. */
const FALLBACK_LOCALE = 'en-US';

let locales: readonly string[] | undefined;

/**
 * The locales citation-js carries with it. A build fetches nothing, and citation-js hands citeproc
 * any other locale as an empty one, on which citeproc fails. Read from citation-js's own table,
 * without loading citation-js, which a build whose citations are all cached never needs.
 */
export function offlineLocales(): readonly string[] {
  locales ??= Object.keys(createRequire(import.meta.url)('@citation-js/plugin-csl/lib/locales.json') as Record<string, unknown>);
  return locales;
}

/** Checks a style's XML: every problem found, what is only worth a warning, and its locale. */
export function checkStyle(xml: string, origin: StyleOrigin): StyleCheck {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (element: XmlElement | undefined, attribute: string | undefined, message: string): Problem => {
    const line = element === undefined ? undefined : lineOfAttribute(xml, element, attribute);
    const named = origin.namedAt === undefined ? '' : ` (named by publications.style at ${formatLocation(origin.namedAt)})`;
    return { file: origin.file, ...(line === undefined ? {} : { line }), message: `${message}${named}` };
  };
  const result = (locale = FALLBACK_LOCALE): StyleCheck => ({ errors, warnings, locale });

  let root: XmlElement | null;
  try {
    root = parseXml(xml, { includeOffsets: true }).root;
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    const why = error.message.split('\n')[0]?.replace(/ \(line \d+, column \d+\)$/, '') ?? '';
    const hint = /<html[\s>]/i.test(xml) ? 'this is a web page, not the style: download the .csl file itself' : 'the file may be cut off or damaged: download the style again';
    errors.push({ ...at(undefined, undefined, `this style is not well-formed XML (${why}); ${hint}`), line: error.line, column: error.column });
    return result();
  }
  if (root?.name !== 'style' || root.attributes['xmlns'] !== CSL_NAMESPACE) {
    const found = root === null ? 'no element' : `<${root.name}${root.attributes['xmlns'] === undefined ? '' : ` xmlns="${root.attributes['xmlns']}"`}>`;
    errors.push(at(root ?? undefined, undefined, `this is not a CSL style: it holds ${found} where a style has <style xmlns="${CSL_NAMESPACE}">`));
    return result();
  }

  const children = root.children.filter((child): child is XmlElement => child instanceof XmlElement);
  const parent = children.find((child) => child.name === 'info')?.children.find((child): child is XmlElement => child instanceof XmlElement && child.name === 'link' && child.attributes['rel'] === 'independent-parent');
  if (parent !== undefined) {
    // A dependent style only names its parent (and perhaps a locale): the formatting is the parent's.
    const address = parent.attributes['href'] ?? '';
    errors.push(at(parent, 'href', `this is a dependent style: it only names its parent style, ${address}, which does the formatting and which the build does not download; download the parent's .csl file into the project and name that in publications.style, or use a built-in style (${origin.builtInStyles.join(', ')})`));
    return result();
  }
  // The "Cite" text is the entry as the style's bibliography lists it (its citation is not shown).
  const bibliography = children.find((child) => child.name === 'bibliography');
  if (bibliography === undefined) errors.push(at(root, undefined, 'this style has no <bibliography>, which the "Cite" text is formatted with: it only formats citations, so use a style that formats a bibliography too'));
  else if (!bibliography.children.some((child) => child instanceof XmlElement && child.name === 'layout')) errors.push(at(bibliography, undefined, 'this style\'s <bibliography> has no <layout>: every entry would be formatted as nothing'));
  const macros = children.filter((child) => child.name === 'macro').map((child) => child.attributes['name'] ?? '');
  for (const user of descendants(root)) {
    const name = user.attributes['macro'];
    // (A <key macro> only sorts, which one entry formatted alone never needs.)
    if (user.name !== 'text' || name === undefined || macros.includes(name)) continue;
    const meant = closestMatch(name, macros);
    errors.push(at(user, 'macro', `<${user.name} macro="${name}"> names a macro this style does not define${meant === undefined ? '' : ` (did you mean "${meant}"?)`}; citeproc would leave it out of every entry`));
  }

  const requested = root.attributes['default-locale'];
  if (requested === undefined) return result();
  const chosen = nearestLocale(requested, origin.locales);
  if (chosen.exact) return result(chosen.locale);
  const terms = chosen.locale === FALLBACK_LOCALE ? `English (${FALLBACK_LOCALE})` : chosen.locale;
  warnings.push(at(root, 'default-locale', `the style's default-locale "${requested}" is not among the locales the build has offline (${origin.locales.join(', ')}): ${terms} terms ("edited by", "pp." and the like) and punctuation are used instead`));
  return result(chosen.locale);
}

/**
 * The locale the build has for one a style asks for: the same one (written in any case, with "-"
 * or "_"), or one of the same language ("fr-CA" gets "fr-FR", "de" "de-DE"), or en-US.
 */
export function nearestLocale(requested: string, available: readonly string[]): { locale: string; exact: boolean } {
  const normal = (locale: string): string => locale.trim().replace('_', '-').toLowerCase();
  const exact = available.find((locale) => normal(locale) === normal(requested));
  if (exact !== undefined) return { locale: exact, exact: true };
  const language = normal(requested).split('-')[0];
  const sameLanguage = available.find((locale) => normal(locale).split('-')[0] === language);
  // A language alone ("de") is that language's locale, as citeproc reads it.
  if (sameLanguage !== undefined) return { locale: sameLanguage, exact: !normal(requested).includes('-') };
  return { locale: FALLBACK_LOCALE, exact: false };
}

function* descendants(element: XmlElement): Generator<XmlElement> {
  for (const child of element.children) {
    if (!(child instanceof XmlElement)) continue;
    yield child;
    yield* descendants(child);
  }
}

/**
 * The line of an element's attribute (of the element itself without one, or when the attribute is
 * not found): a start tag may run over several lines, as <style> often does.
 */
function lineOfAttribute(xml: string, element: XmlElement, attribute: string | undefined): number {
  let offset = element.start;
  if (attribute !== undefined) {
    const tag = /^<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*/.exec(xml.slice(element.start))?.[0] ?? '';
    const found = new RegExp(`\\s${attribute}\\s*=`).exec(tag);
    if (found !== null) offset += found.index + 1;
  }
  return xml.slice(0, offset).split('\n').length;
}
