import { BuildEnvironmentError } from '../errors.ts';

/** A folder name of a path prefix: what GitHub allows in a repository's name (a project site is published under it). */
const PREFIX_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * A full http:// or https:// address: what site.yaml's url (schema.ts) and SITE_URL must be. Here,
 * not in schema.ts, so that a build checks SITE_URL without loading zod, which it loads only when a
 * data file changed.
 */
export function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value);
}

/**
 * The settings a build takes from environment variables (the deploy workflow sets them), checked
 * as site.yaml is: SITE_URL as its `url` (javascript:alert(1)// or ftp:// became the canonical
 * address of every page), PATH_PREFIX as a path of folders (/../ gave hundreds of broken links).
 */
export function checkPublishingVariables(environment: NodeJS.ProcessEnv = process.env): void {
  const siteUrl = environment['SITE_URL'];
  if (siteUrl !== undefined && siteUrl !== '' && !isWebUrl(siteUrl)) {
    throw new BuildEnvironmentError(`SITE_URL is ${JSON.stringify(siteUrl)}: it must be a full http:// or https:// address, such as https://name.github.io/ (or unset, to use url from site.yaml)`);
  }
  const prefixProblem = pathPrefixProblem(environment['PATH_PREFIX']);
  if (prefixProblem !== undefined) throw new BuildEnvironmentError(prefixProblem);
  // SITE_URL is the site's whole address (the deploy workflow's base_url): under a prefix, it ends with it.
  const inner = (environment['PATH_PREFIX'] ?? '').replace(/^\/+|\/+$/g, '');
  if (siteUrl !== undefined && siteUrl !== '' && inner !== '' && !new URL(siteUrl).pathname.replace(/\/*$/, '/').endsWith(`/${inner}/`)) {
    throw new BuildEnvironmentError(`SITE_URL ${siteUrl} does not end with PATH_PREFIX /${inner}/, under which the pages are published: every page would name addresses without it; write SITE_URL as the site's whole address, such as ${new URL(`${inner}/`, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`).href}`);
  }
}

/** What is wrong with PATH_PREFIX, if anything: it is a path of folders such as /homepage/ (slashes at either end optional, as for Eleventy). */
export function pathPrefixProblem(prefix: string | undefined): string | undefined {
  const inner = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (inner === '' || inner.split('/').every((segment) => PREFIX_SEGMENT.test(segment) && segment !== '.' && segment !== '..')) return undefined;
  return `PATH_PREFIX is ${JSON.stringify(prefix)}: it must be the path the site is published under, such as /homepage/ (folder names of letters, digits, ".", "_", "-" and "~", without . or ..), or / for a site at the root`;
}
