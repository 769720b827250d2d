import { Eleventy } from '@11ty/eleventy';
import { existsSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkContent } from './content/check-content.ts';
import { findSiteInputError, formatProblem, SiteInputError, StrictModeError, templateError } from './errors.ts';
import { withoutNetwork } from './no-network.ts';
import { linksGeneratedInto, stageFor } from './pages/generated-files.ts';
import { postBuildProblems } from './post-build-checks.ts';
import { currentSiteModel, DEFAULT_BIBLIOGRAPHY, DEFAULT_CV_FILE, DEFAULT_SITE_FILE } from './site-model.ts';

export interface BuildOptions {
  /** The project folder: holds .eleventy.ts, content/ and publications.bib. */
  root: string;
  /** Where the finished site goes, relative to root or absolute. */
  output?: string;
  quiet?: boolean;
  /** Treat warnings (guesses made while reading the owner's files) as errors. */
  strict?: boolean;
  /** The Eleventy config to load; the project's .eleventy.ts unless the engine runs compiled. */
  configPath?: string;
}

/**
 * Builds the site into a staging folder next to the output and moves it into
 * place only when the whole build succeeded, so a failed build leaves the
 * previous site untouched.
 */
export async function buildSite(options: BuildOptions): Promise<{ output: string }> {
  const root = path.resolve(options.root);
  const output = path.resolve(root, options.output ?? '_site');
  assertSafeOutput(root, output);
  // Check the owner's files before anything is written; the pages reuse what this reads.
  const content = await checkContent(root, 'content', 'layouts');
  for (const warning of content.warnings) console.warn(`Warning: ${formatProblem(warning)}`);
  const model = await currentSiteModel({ root, siteFile: DEFAULT_SITE_FILE, cvFile: DEFAULT_CV_FILE, bibliography: DEFAULT_BIBLIOGRAPHY });
  const warnings = [...content.warnings, ...model.warnings];
  if (options.strict === true && warnings.length > 0) throw new StrictModeError(warnings);
  await mkdir(path.dirname(output), { recursive: true });
  await removeAbandonedStaging(output);
  const staging = await mkdtemp(path.join(path.dirname(output), `.${path.basename(output)}-staging-`));
  // Pages that have not changed since the published site are hard-linked from it (src/pages/generated-files.ts).
  const unstage = stageFor(staging, output);
  try {
    const eleventy = new Eleventy(path.join(root, 'content'), staging, {
      configPath: options.configPath ?? path.join(root, '.eleventy.ts'),
      quietMode: options.quiet ?? true,
    });
    try {
      await withoutNetwork(() => eleventy.write());
    } catch (error) {
      // Eleventy wraps errors from data and templates; the owner needs ours, which says where the problem is.
      throw findSiteInputError(error) ?? templateError(error, root) ?? error;
    }
    await assertHomePageWritten(staging);
    const problems = await postBuildProblems(staging, root, process.env['PATH_PREFIX'] ?? '/', linksGeneratedInto(staging));
    if (problems.length > 0) throw new SiteInputError(problems);
    await chmod(staging, 0o755);
    await replaceFolder(staging, output);
  } finally {
    unstage();
    await removeFolder(staging);
  }
  return { output };
}

/** Staging folders left by builds that were killed (Ctrl-C, a closed laptop): never published, now removed. */
async function removeAbandonedStaging(output: string): Promise<void> {
  const parent = path.dirname(output);
  const prefix = `.${path.basename(output)}-staging-`;
  for (const name of await readdir(parent)) {
    if (name.startsWith(prefix)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Removes a folder, again if it comes back: after a failed write Eleventy may
 * still be finishing a file copy into it.
 */
async function removeFolder(folder: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
    await new Promise((resolve) => setTimeout(resolve, attempt === 0 ? 0 : 50));
    if (!existsSync(folder)) return;
  }
}

async function assertHomePageWritten(folder: string): Promise<void> {
  try {
    await access(path.join(folder, 'index.html'));
  } catch {
    throw new Error(`the build wrote no index.html into ${folder}; is there a content/index.md?`);
  }
}

function assertSafeOutput(root: string, output: string): void {
  const relative = path.relative(root, output);
  const forbidden = ['', 'content', 'layouts', 'styles', 'src', 'test', 'node_modules'];
  if (relative.startsWith('..') || path.isAbsolute(relative) || forbidden.includes(relative.split(path.sep)[0] ?? '')) {
    throw new Error(`refusing to write the site to ${output}: the output folder must be a new folder inside the project, such as _site`);
  }
}

/** Swaps `next` into `target` with renames, so readers never see a half-written folder. */
async function replaceFolder(next: string, target: string): Promise<void> {
  const previous = `${target}.previous-${process.pid}`;
  let hadPrevious = true;
  try {
    await rename(target, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hadPrevious = false;
  }
  try {
    await rename(next, target);
  } catch (error) {
    if (hadPrevious) await rename(previous, target);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}
