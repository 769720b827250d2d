import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../errors.ts';
import { safeWebUrl } from '../text/urls.ts';
import { ARXIV_DOI } from './preprints.ts';
import type { PublicationLink } from './types.ts';

type LinkKind = 'file-or-url' | 'url' | 'arxiv' | 'hal' | 'identifier';
/**
 * Link fields in the order their buttons appear; al-folio's names, standard BibTeX ones, HAL's
 * hal_id, NASA ADS's adsurl, and the identifiers of PubMed, PubMed Central, JSTOR and the Handle
 * System (JabRef's and Zotero's pmid and pmcid, or biblatex's eprint with its eprinttype), and of
 * MathSciNet (its mrnumber) and zbMATH (zbl).
 */
const LINK_FIELDS: ReadonlyArray<{ field: string; label: string; kind: LinkKind }> = [
  { field: 'pdf', label: 'PDF', kind: 'file-or-url' },
  { field: 'doi', label: 'DOI', kind: 'url' },
  { field: 'arxiv', label: 'arXiv', kind: 'arxiv' },
  { field: 'hal', label: 'HAL', kind: 'hal' },
  { field: 'hal_id', label: 'HAL', kind: 'hal' },
  { field: 'pmid', label: 'PubMed', kind: 'identifier' },
  { field: 'pmcid', label: 'PMC', kind: 'identifier' },
  { field: 'jstor', label: 'JSTOR', kind: 'identifier' },
  { field: 'hdl', label: 'Handle', kind: 'identifier' },
  { field: 'mrnumber', label: 'MR', kind: 'identifier' },
  { field: 'zbl', label: 'zbMATH', kind: 'identifier' },
  { field: 'html', label: 'HTML', kind: 'url' },
  { field: 'supp', label: 'Supplement', kind: 'file-or-url' },
  { field: 'code', label: 'Code', kind: 'url' },
  { field: 'slides', label: 'Slides', kind: 'file-or-url' },
  { field: 'poster', label: 'Poster', kind: 'file-or-url' },
  { field: 'video', label: 'Video', kind: 'url' },
  { field: 'website', label: 'Website', kind: 'url' },
  { field: 'blog', label: 'Blog', kind: 'url' },
  { field: 'adsurl', label: 'ADS', kind: 'url' },
  { field: 'url', label: 'Link', kind: 'url' },
];

export const LINK_FIELD_NAMES: ReadonlySet<string> = new Set(LINK_FIELDS.map((link) => link.field));

interface Identifier {
  /** An identifier's form, once what is written before it is removed and `normalise` applied. */
  form: RegExp;
  /** What exports write before one: a label ("PMID: "). */
  label: RegExp;
  /** The start of the addresses of its pages, old ones too, which exports write instead. */
  address: RegExp;
  normalise?: (id: string) => string;
  /** What the value should be, for the warning when it is not. */
  what: string;
  /** Its page on the web. */
  page: (id: string) => string;
}

/** The identifier fields, by name. */
const IDENTIFIERS: Readonly<Record<string, Identifier>> = {
  pmid: {
    form: /^\d{1,9}$/,
    label: /^pmid:?/i,
    address: /^(?:https?:\/\/)?(?:pubmed\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov\/pubmed)\//i,
    what: 'a PubMed id (digits)',
    page: (id) => `https://pubmed.ncbi.nlm.nih.gov/${id}/`,
  },
  pmcid: {
    form: /^PMC\d{1,9}$/,
    label: /^pmcid:?/i,
    address: /^(?:https?:\/\/)?(?:pmc\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov\/pmc)\/articles\//i,
    normalise: (id) => (/^\d+$/.test(id) ? `PMC${id}` : id.toUpperCase()),
    what: 'a PubMed Central id (PMC and digits)',
    page: (id) => `https://pmc.ncbi.nlm.nih.gov/articles/${id}/`,
  },
  // An article's stable id is a number; a book's or chapter's "j.ctt7s8z5.7", a newer one a DOI.
  jstor: {
    form: /^[A-Za-z\d][\w.\/-]*$/,
    label: /^jstor:?/i,
    address: /^(?:https?:\/\/)?(?:www\.)?jstor\.org\/stable\//i,
    what: 'a JSTOR stable id',
    page: (id) => `https://www.jstor.org/stable/${encodePath(id)}`,
  },
  // MathSciNet's number, with the old review code after it: "1333035 (96d:11071)".
  mrnumber: {
    form: /^\d{1,8}$/,
    label: /^mr:?/i,
    address: /^(?:https?:\/\/)?(?:mathscinet\.|www\.)?ams\.org\/(?:mathscinet-getitem|mathscinet\/article)\?mr=/i,
    normalise: (id) => id.replace(/\(.*\)$/, '').replace(/^mr/i, ''),
    what: 'a MathSciNet number (digits)',
    page: (id) => `https://mathscinet.ams.org/mathscinet-getitem?mr=${id}`,
  },
  zbl: {
    // An item reviewed has "1191.11025"; one not yet, eight digits ("07123456").
    form: /^(?:\d{4}\.\d{5}|\d{8})$/,
    label: /^zbl:?/i,
    address: /^(?:https?:\/\/)?(?:www\.)?zbmath\.org\/\?q=an:/i,
    what: 'a Zentralblatt number (1234.56789 or eight digits)',
    page: (id) => `https://zbmath.org/?q=an:${id}`,
  },
  hdl: {
    form: /^[\w.-]+\/\S+$/,
    label: /^hdl:/i,
    address: /^(?:https?:\/\/)?hdl\.handle\.net\//i,
    what: 'a handle (prefix/suffix)',
    page: (id) => `https://hdl.handle.net/${encodePath(id)}`,
  },
};

/** A path for an address: what must be escaped is, and escapes already written ("%20") stay. */
function encodePath(path: string): string {
  return path.replace(/%(?![\dA-Fa-f]{2})|[^\w.~/%:@!$&'()*+,;=-]/g, (character) => encodeURIComponent(character));
}

/** Where the identifiers' pages are: an address elsewhere is none of theirs. */
const IDENTIFIER_HOSTS = /ncbi\.nlm\.nih\.gov|jstor\.org|handle\.net|ams\.org|zbmath\.org/i;

/** biblatex's eprint types that name one of the identifiers above, as the field they stand for. */
const EPRINT_TYPES: Readonly<Record<string, string>> = { pubmed: 'pmid', pmid: 'pmid', pmc: 'pmcid', pmcid: 'pmcid', pubmedcentral: 'pmcid', jstor: 'jstor', hdl: 'hdl', handle: 'hdl' };

/** The identifier field an eprint of this biblatex eprinttype is, if it is one of those linked. */
export function identifierFieldOfEprint(eprintType: string): string | undefined {
  return EPRINT_TYPES[eprintType.toLowerCase().replace(/\s+/g, '')];
}

/** The identifier written in a field's value, or in an address of its page; undefined when there is none. */
function identifierIn(identifier: Identifier, value: string): string | undefined {
  const written = identifier.address.test(value) ? value.replace(identifier.address, '').replace(/[?#].*$/, '') : value.replace(identifier.label, '');
  const bare = written.replace(/\/$/, '');
  const id = identifier.normalise?.(bare) ?? bare;
  return identifier.form.test(id) ? id : undefined;
}

/** Where an entry's files are looked for, in order: al-folio keeps PDFs in assets/pdf/. */
export interface AssetFolders {
  /** The folder whose files the site serves at its root, e.g. /project/content. */
  contentDir: string;
  /** Folders inside it, e.g. assets/pdf, assets. */
  folders: readonly string[];
}

/** A DOI without resolver prefix or LaTeX escapes: 10.1000/xyz. */
export function cleanDoi(raw: string): string {
  return unescapeUrl(raw).replace(/^(https?:\/\/)?(dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '').trim();
}

/** Whether a cleaned DOI (see cleanDoi) is one: 10.prefix/suffix, or a short DOI 10/xyz. */
export function isDoi(doi: string): boolean {
  return /^10\.\S+\/\S+$/.test(doi) || /^10\/\S+$/.test(doi);
}

/**
 * What two link addresses are compared by: a doi.org address by its DOI in lower case (DOIs are
 * case-insensitive, so the doi and url fields of one entry often differ in case only), any other
 * address as it is.
 */
function linkIdentity(href: string): string {
  // A record of PubMed, JSTOR, the Handle System, MathSciNet or zbMATH, by whichever of its addresses (a url field beside a pmid).
  if (IDENTIFIER_HOSTS.test(href)) for (const [field, identifier] of Object.entries(IDENTIFIERS)) {
    const id = identifier.address.test(href) ? identifierIn(identifier, href) : undefined;
    if (id !== undefined) return `${field}:${id.toLowerCase()}`;
  }
  // An arXiv preprint's page, by http or https, with or without its version.
  const arxiv = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/abs\/(.+?)(?:v\d+)?\/?$/i.exec(href)?.[1];
  if (arxiv !== undefined) return `arxiv:${arxiv.toLowerCase()}`;
  const doi = /^https?:\/\/(dx\.)?doi\.org\/(.+)$/i.exec(href)?.[2];
  if (doi === undefined) return href;
  let decoded = doi;
  try {
    decoded = decodeURIComponent(doi);
  } catch {
    // A malformed escape: compared as written.
  }
  // arXiv's own DOI leads to the preprint's page.
  const arxivDoi = ARXIV_DOI.exec(decoded)?.[1];
  if (arxivDoi !== undefined) return `arxiv:${arxivDoi.replace(/v\d+$/, '').toLowerCase()}`;
  return `doi:${decoded.toLowerCase()}`;
}

/**
 * The addresses in a link field: one, perhaps broken across lines, or several separated by spaces
 * (Mendeley: "http://www.ncbi.nlm.nih.gov/pubmed/1 http://dx.doi.org/10.1/x"); a part that starts
 * with a scheme, "www." or "<" (EndNote's "<Go to ISI>://...") starts another.
 */
function addressesIn(raw: string): string[] {
  const addresses: string[] = [];
  for (const part of raw.trim().split(/\s+/)) {
    const previous = addresses.at(-1);
    // An address broken after a "/" goes on, even with a scheme: a web archive's copy of a page.
    const starts = /^(?:[a-z][a-z\d+.-]*:\/\/|www\.|<)/i.test(part) && previous?.endsWith('/') !== true;
    if (previous === undefined || starts) addresses.push(part);
    else addresses[addresses.length - 1] = previous + part;
  }
  // EndNote's record in Web of Science ("<Go to ISI>://WOS:...") is no address on the web.
  return addresses.map(unescapeUrl).filter((address) => !/^<GotoISI>:\/\//i.test(address));
}

/** URLs in BibTeX are often written with LaTeX escapes: `\_`, `\%`, `\&`, `\#`. */
export function unescapeUrl(raw: string): string {
  return raw.replace(/\\([_%&#$~])/g, '$1').replace(/\s+/g, '').trim();
}

export interface LinkInput {
  key: string;
  file: string;
  line: number;
  /** Raw field values, outer braces removed. */
  fields: ReadonlyMap<string, string>;
  eprintArxiv?: string;
  /** The field an identifier was read from, when another than its own (biblatex's eprint), for messages. */
  writtenIn?: ReadonlyMap<string, string>;
}

/**
 * Builds the link buttons of an entry. Relative file names must exist in the
 * assets; unsafe or malformed URLs are dropped with a warning.
 */
export function buildLinks(input: LinkInput, assets: AssetFolders | undefined): { links: PublicationLink[]; warnings: Problem[]; errors: Problem[]; url?: string } {
  const links: PublicationLink[] = [];
  const warnings: Problem[] = [];
  const errors: Problem[] = [];
  const where = { file: input.file, line: input.line, key: input.key };
  const identities = new Set<string>();
  let doiHref: string | undefined;
  const add = (label: string, href: string): void => {
    const identity = linkIdentity(href);
    if (identities.has(identity)) return;
    identities.add(identity);
    links.push({ label, href });
  };
  const addAddress = (field: string, label: string, kind: LinkKind, value: string): void => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
      const url = safeWebUrl(value);
      if (url === undefined) warnings.push({ ...where, message: `${field} "${value}" is not an http(s) address; the link is left out` });
      else add(label, url);
    } else if (kind === 'url') {
      if (value.startsWith('www.')) add(label, `https://${value}`);
      else warnings.push({ ...where, message: `${field} "${value}" is not a full http(s) address; the link is left out` });
    } else {
      const href = resolveAsset(value, assets);
      if (href !== undefined) add(label, href);
      else {
        errors.push({
          ...where,
          message: `${field} names the file "${value}", which is not in ${assets === undefined ? 'the assets' : assets.folders.map((folder) => `content/${folder}/`).join(' or ')}; add the file or fix the name`,
        });
      }
    }
  };
  for (const { field, label, kind } of LINK_FIELDS) {
    let raw = input.fields.get(field);
    if (field === 'arxiv' && raw === undefined) raw = input.eprintArxiv;
    if (raw === undefined || raw.trim() === '') continue;
    const value = unescapeUrl(raw);
    if (field === 'doi') {
      const doi = cleanDoi(raw);
      if (isDoi(doi)) {
        doiHref = `https://doi.org/${doi.split('/').map(encodeURIComponent).join('/')}`;
        // arXiv's DOI beside the preprint's arXiv identifier (DBLP's CoRR entries): one button, arXiv's.
        if (!(ARXIV_DOI.test(doi) && (input.fields.get('arxiv') ?? input.eprintArxiv ?? '').trim() !== '')) add(label, doiHref);
        continue;
      }
      const url = safeWebUrl(value);
      if (url !== undefined) add('Link', url);
      warnings.push({ ...where, message: `doi "${raw}" is not a DOI (10.xxxx/...); ${url === undefined ? 'it is left out' : 'it is shown as a plain link'}` });
      continue;
    }
    if (kind === 'arxiv') {
      const id = value.replace(/^(https?:\/\/arxiv\.org\/(abs|pdf)\/|arxiv:)/i, '').replace(/\.pdf$/, '');
      add(label, `https://arxiv.org/abs/${encodeURI(id)}`);
      continue;
    }
    if (kind === 'hal') {
      add(label, /^https?:/i.test(value) ? value : `https://hal.science/${encodeURI(value)}`);
      continue;
    }
    const identifier = kind === 'identifier' ? IDENTIFIERS[field] : undefined;
    if (identifier !== undefined) {
      const id = identifierIn(identifier, value);
      if (id !== undefined) add(label, identifier.page(id));
      else warnings.push({ ...where, message: `${input.writtenIn?.get(field) ?? field} "${raw.trim()}" is not ${identifier.what}; the link is left out` });
      continue;
    }
    // A file of the site's by a name with spaces ("my paper.pdf", or written "my%20paper.pdf"): one name.
    const fileName = kind === 'file-or-url' ? assetName(raw) : undefined;
    if (fileName !== undefined && !/\s(?:[a-z][a-z\d+.-]*:\/\/|www\.)/i.test(fileName)) {
      addAddress(field, label, kind, fileName);
      continue;
    }
    // Mendeley and EndNote put several addresses in one field, separated by spaces.
    for (const address of addressesIn(raw)) addAddress(field, label, kind, address);
  }
  return { links, warnings, errors, ...urlOf(input.fields.get('url'), doiHref) };
}

/**
 * The address a citation gives (CSL's URL): the url field's first web address, even when its
 * button is an identifier's (a JSTOR book's stable address); none when it is the DOI's, which a
 * citation gives already.
 */
function urlOf(raw: string | undefined, doiHref: string | undefined): { url?: string } {
  if (raw === undefined) return {};
  const url = addressesIn(raw)
    .map((address) => (address.startsWith('www.') ? `https://${address}` : safeWebUrl(address)))
    .find((address) => address !== undefined);
  return url === undefined || (doiHref !== undefined && linkIdentity(doiHref) === linkIdentity(url)) ? {} : { url };
}

/** al-folio keeps preview images in assets/img/publication_preview/. */
export function resolvePreview(input: LinkInput, raw: string, assets: AssetFolders | undefined): { href?: string; error?: Problem } {
  const value = unescapeUrl(raw);
  if (/^https?:/i.test(value)) return { error: { file: input.file, line: input.line, key: input.key, message: `preview "${value}" must be an image file in the site's assets, not an address` } };
  const href = resolveAsset(value, assets === undefined ? undefined : { ...assets, folders: ['assets/img/publication_preview', 'assets/img', 'assets'] });
  if (href !== undefined) return { href };
  return { error: { file: input.file, line: input.line, key: input.key, message: `preview names the image "${value}", which is not in content/assets/img/publication_preview/, content/assets/img/ or content/assets/; add the file or fix the name` } };
}

/** A field's value as the name of one of the site's files, spaces kept and escapes undone; undefined for an address. */
function assetName(raw: string): string | undefined {
  const name = raw.trim().replace(/\\([_%&#$~])/g, '$1').replace(/\s+/g, ' ');
  if (name === '' || /^(?:[a-z][a-z\d+.-]*:|www\.|<)/i.test(name)) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    // A "%" that escapes nothing is part of the name.
    return name;
  }
}

function resolveAsset(name: string, assets: AssetFolders | undefined): string | undefined {
  if (assets === undefined || name.split('/').includes('..')) return undefined;
  const relative = name.replace(/^\/+/, '');
  const candidates = relative.startsWith('assets/') ? [relative] : assets.folders.map((folder) => `${folder}/${relative}`);
  const found = candidates.find((candidate) => existsSync(path.join(assets.contentDir, candidate)));
  return found === undefined ? undefined : `/${found.split('/').map(encodeURIComponent).join('/')}`;
}

/** An identifier of the work a link gives (arXiv's, PubMed's, PubMed Central's), as metadata names it. */
export interface LinkedIdentifier {
  /** The name CSL-JSON and schema.org give it. */
  name: 'arXiv' | 'PMID' | 'PMCID';
  value: string;
  href: string;
}

/** The links that give an identifier: by their label (see LINK_FIELDS), the identifier in their address. */
const IDENTIFIER_LINKS: ReadonlyArray<[string, LinkedIdentifier['name'], RegExp]> = [
  ['arXiv', 'arXiv', /^https:\/\/arxiv\.org\/abs\/(.+)$/],
  ['PubMed', 'PMID', /^https:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/(\d+)\/$/],
  ['PMC', 'PMCID', /^https:\/\/pmc\.ncbi\.nlm\.nih\.gov\/articles\/(PMC\d+)\/$/],
];

/** The identifiers an entry's links give (its arXiv, PubMed and PMC links), for the metadata that has a place for them. */
export function linkedIdentifiers(links: readonly { label: string; href: string }[]): LinkedIdentifier[] {
  return links.flatMap((link) => {
    for (const [label, name, pattern] of IDENTIFIER_LINKS) {
      const value = link.label === label ? pattern.exec(link.href)?.[1] : undefined;
      if (value !== undefined) return [{ name, value: decodeURI(value), href: link.href }];
    }
    return [];
  });
}
