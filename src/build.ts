import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DiskCache, removeRetiredCaches } from './cache.ts';
import { checkContent } from './content/check-content.ts';
import { findSiteInputError, formatProblem, permalinkConflict, SiteInputError, StrictModeError, templateError, type Problem } from './errors.ts';
import { warmCvPdf } from './cv/cv-pdf-file.ts';
import { portraitsSettled } from './images.ts';
import { stopWorkers } from './parallel.ts';
import { withoutNetwork } from './no-network.ts';
import { filesStillComing, linksGeneratedInto, publishedStaging, stageFor } from './pages/generated-files.ts';
import { postBuildProblems } from './post-build-checks.ts';
import { currentSiteModel, DEFAULT_BIBLIOGRAPHY, DEFAULT_CV_FILE, DEFAULT_SITE_FILE, type SiteModel } from './site-model.ts';
import { DEFAULT_STYLES, dropStartedStylesheets, startStylesheet } from './styles.ts';

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
 * previous site untouched, and no work of its own still running: the portrait
 * is encoded in the background from the moment site.yaml is read, and the CV
 * PDF rendered in a worker from the start of Eleventy's build.
 */
export async function buildSite(options: BuildOptions): Promise<{ output: string }> {
  try {
    return await buildOnce(options);
  } catch (error) {
    await Promise.all([stopWorkers(), portraitsSettled()]);
    throw error;
  }
}

async function buildOnce(options: BuildOptions): Promise<{ output: string }> {
  const root = path.resolve(options.root);
  const output = path.resolve(root, options.output ?? '_site');
  assertSafeOutput(root, output);
  restoreInterruptedSwap(output);
  // Check the owner's files before anything is written; the pages reuse what this reads.
  const content = await checkContent(root, 'content', 'layouts');
  for (const warning of content.warnings) console.warn(`Warning: ${formatProblem(warning)}`);
  // Work in workers starts first, on the other cores: the stylesheet, and pdfkit loading for the CV
  // PDF (if it will be made anew). Then the model is read while Eleventy loads and starts: the
  // pages' data waits for the same model. Eleventy is imported only now, so that a style compiling
  // in a worker starts sooner.
  startStylesheet(path.join(root, DEFAULT_STYLES), root);
  warmCvPdf(root, [DEFAULT_SITE_FILE, DEFAULT_CV_FILE, DEFAULT_BIBLIOGRAPHY].map((file) => path.join(root, file)));
  const model = currentSiteModel({ root, siteFile: DEFAULT_SITE_FILE, cvFile: DEFAULT_CV_FILE, bibliography: DEFAULT_BIBLIOGRAPHY }, { startWorkersEarly: true });
  model.catch(() => undefined);
  try {
    await writeSite(root, output, model, content.warnings, options);
  } catch (error) {
    // Nothing the model starts may start after the failure is reported (buildSite then stops every worker).
    await model.then(() => undefined, () => undefined);
    throw error;
  }
  return { output };
}

async function writeSite(root: string, output: string, model: Promise<SiteModel>, contentWarnings: readonly Problem[], options: BuildOptions): Promise<void> {
  const { Eleventy } = await import('@11ty/eleventy');
  await mkdir(path.dirname(output), { recursive: true });
  // Removed while this build renders (on another core, by the file system), awaited before it publishes.
  const leftovers = removeLeftovers(output);
  leftovers.catch(() => undefined);
  const staging = await mkdtemp(`${besideOutput(output).staging}${process.pid}-`);
  activeStaging.add(staging);
  // Pages that have not changed since the published site are hard-linked from it (src/pages/generated-files.ts).
  const unstage = stageFor(staging, output);
  try {
    const eleventy = new Eleventy(path.join(root, 'content'), staging, {
      configPath: options.configPath ?? path.join(root, '.eleventy.ts'),
      quietMode: options.quiet ?? true,
    });
    // Eleventy wraps errors from data and templates; the owner needs ours, which says where the problem is.
    const ownError = (error: unknown): unknown => findSiteInputError(error) ?? templateError(error, root) ?? permalinkConflict(error, root, staging) ?? error;
    // Eleventy loads its config and finds the templates while the model is read; a mistake in the
    // owner's data, or a warning in strict mode, is then reported alone, before any page is written.
    await withoutNetwork(() => eleventy.init()).catch((error: unknown) => {
      throw ownError(error);
    });
    const warnings = [...contentWarnings, ...(await model).warnings];
    if (options.strict === true && warnings.length > 0) throw new StrictModeError(warnings);
    // Eleventy prints an error it meets, with its stack, before handing it on: one that is the
    // owner's to mend is said once, by the build's own message, so its console waits for the outcome.
    const console11ty = heldConsole((eleventy as unknown as { logger: HeldLogger }).logger);
    await withoutNetwork(() => eleventy.write()).then(console11ty.release, (error: unknown) => {
      const own = ownError(error);
      if (own instanceof SiteInputError) console11ty.drop();
      else console11ty.release();
      throw own;
    });
    await assertHomePageWritten(staging);
    // The links are checked while the CV PDF may still be rendering (with /cv.pdf among the files).
    const coming = filesStillComing(staging);
    const problems = await postBuildProblems(staging, root, process.env['PATH_PREFIX'] ?? '/', linksGeneratedInto(staging), new DiskCache(root), coming.files);
    if (problems.length > 0) throw new SiteInputError(problems);
    await coming.written;
    await chmod(staging, 0o755);
    await leftovers.catch(() => undefined); // a folder that cannot be removed now is tried again next time
    await replaceFolder(staging, output);
    await publishedStaging(staging);
    removeRetiredCaches(root);
  } finally {
    // A failed build (broken links) may still be writing into the folder: it is removed after that.
    await filesStillComing(staging).written.catch(() => undefined);
    dropStartedStylesheets();
    activeStaging.delete(staging);
    unstage();
    await removeFolder(staging);
  }
}

/**
 * What the build command says when it is done. Under a path prefix (a project site), `npm start`,
 * which serves the site at the root, would not show what was built: the links are checked instead.
 */
export function builtMessage(seconds: number, output: string, pathPrefix: string | undefined): string {
  const built = `Built the site in ${seconds.toFixed(2)} s into ${output}/`;
  const prefix = (pathPrefix ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '') return `${built}, its links under /${prefix}/ as GitHub Pages will serve it. Check them with \`PATH_PREFIX=/${prefix}/ npm run check\`.`;
  return `${built}. Preview it with \`npm start\` at http://localhost:8080/ (links start at the site's root, so opening the files directly does not work).`;
}

/**
 * The sites earlier builds replaced, and staging folders of builds that were killed (Ctrl-C, a
 * closed laptop), which were never published. A staging folder is named after the process that
 * builds into it, so that a build running beside this one keeps its own.
 */
async function removeLeftovers(output: string): Promise<void> {
  const { staging, replaced } = besideOutput(output);
  const abandoned = (folder: string): boolean => {
    const pid = Number(/^(\d+)-/.exec(folder.slice(staging.length))?.[1] ?? 0);
    return !activeStaging.has(folder) && (pid === process.pid || !isRunning(pid));
  };
  // Listed at once, before this build makes its own staging folder beside them.
  const folders = neighboursOf(output).filter((folder) => folder.startsWith(replaced) || (folder.startsWith(staging) && abandoned(folder)));
  if (folders.length === 0) return;
  // In a thread of its own: tens of thousands of removals through the file system's thread pool
  // would hold up every file the build itself reads and writes.
  const remover = new Worker(`const { rmSync } = require('node:fs'); for (const folder of require('node:worker_threads').workerData) rmSync(folder, { recursive: true, force: true, maxRetries: 3 });`, { eval: true, workerData: folders });
  await new Promise<void>((resolve, reject) => {
    remover.once('error', reject);
    remover.once('exit', () => resolve());
  });
}

/**
 * A build that stopped between moving the site aside and moving the new one in (see
 * replaceFolder) left no site: the newest site moved aside is put back.
 */
function restoreInterruptedSwap(output: string): void {
  if (existsSync(output) || !existsSync(path.dirname(output))) return;
  const { replaced } = besideOutput(output);
  const newest = neighboursOf(output)
    .filter((folder) => folder.startsWith(replaced))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest !== undefined) renameSync(newest, output);
}

/** What sits beside the output in its parent folder, as paths. */
function neighboursOf(output: string): string[] {
  return readdirSync(path.dirname(output)).map((name) => path.join(path.dirname(output), name));
}

/** How the hidden folders beside the output begin: a build's staging folder, and a site it replaced. */
function besideOutput(output: string): { staging: string; replaced: string } {
  const start = path.join(path.dirname(output), `.${path.basename(output)}`);
  return { staging: `${start}-staging-`, replaced: `${start}-replaced-` };
}

/** The staging folders of this process's builds in progress. */
const activeStaging = new Set<string>();

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // a signal that only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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

/**
 * Swaps `next` into `target` with renames, so readers never see a half-written folder. The
 * replaced site is left beside it, hidden, for the next build to remove while it renders: removing
 * tens of thousands of files would otherwise be the last thing every build waits for.
 */
async function replaceFolder(next: string, target: string): Promise<void> {
  const previous = `${besideOutput(target).replaced}${process.pid}-${Date.now().toString(36)}`;
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
}

/** Eleventy's logger, which writes through a console it can be given instead (its overrideLogger). */
interface HeldLogger {
  overrideLogger(logger: Pick<Console, 'log' | 'warn' | 'error' | 'info'> | undefined): void;
}

/** What Eleventy's logger writes, held until release() writes it or drop() forgets it. */
function heldConsole(logger: HeldLogger): { release: () => void; drop: () => void } {
  const held: Array<() => void> = [];
  const hold = (type: 'log' | 'warn' | 'error' | 'info') => (...args: unknown[]): void => {
    held.push(() => console[type](...args));
  };
  logger.overrideLogger({ log: hold('log'), warn: hold('warn'), error: hold('error'), info: hold('info') });
  const stop = (): Array<() => void> => {
    logger.overrideLogger(undefined);
    return held.splice(0);
  };
  return { release: () => stop().forEach((write) => write()), drop: () => void stop() };
}
