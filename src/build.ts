import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileAtomically } from './atomic-write.ts';
import { DiskCache, removeRetiredCaches } from './cache.ts';
import { checkContent } from './content/check-content.ts';
import { BuildEnvironmentError, environmentError, findSiteInputError, formatProblem, outputClashes, permalinkConflict, permalinkLine, SiteInputError, StrictModeError, templateError, type Problem, type SiteFileSource } from './errors.ts';
import { warmCvPdf } from './cv/cv-pdf-file.ts';
import { portraitsSettled, takePortraitFiles } from './images.ts';
import { stopWorkers } from './parallel.ts';
import { withoutNetwork } from './no-network.ts';
import { filesStillComing, linksGeneratedInto, publishedStaging, stageFor } from './pages/generated-files.ts';
import { postBuildProblems } from './post-build-checks.ts';
import { checkPublishingVariables } from './site/environment.ts';
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
  const root = path.resolve(options.root);
  const output = path.resolve(root, options.output ?? '_site');
  try {
    return await buildOnce(root, output, options);
  } catch (error) {
    await Promise.all([stopWorkers(), portraitsSettled()]);
    // A file that could not be read or written (permissions, a full disk), wherever it was met: said in one line.
    throw findSiteInputError(error) === undefined ? (environmentError(error, root, output) ?? error) : error;
  }
}

async function buildOnce(root: string, output: string, options: BuildOptions): Promise<{ output: string }> {
  assertSafeOutput(root, output);
  checkPublishingVariables();
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
  await mkdir(path.dirname(output), { recursive: true });
  // Removed while this build renders (on another core, by the file system), awaited before it publishes.
  const leftovers = removeLeftovers(output).catch((error: unknown): Leftover[] => [{ folder: `${besideOutput(output).replaced}*`, reason: error instanceof Error ? error.message : String(error) }]);
  try {
    await writeThroughStaging(root, output, model, contentWarnings, options, leftovers);
  } finally {
    // Said at every build until it is mended: a folder that cannot be removed is one more copy of the site each time.
    const stuck = await leftovers;
    if (stuck.length > 0) console.warn(leftoversWarning(stuck, root, output));
  }
}

async function writeThroughStaging(root: string, output: string, model: Promise<SiteModel>, contentWarnings: readonly Problem[], options: BuildOptions, leftovers: Promise<unknown>): Promise<void> {
  const { Eleventy } = await import('@11ty/eleventy');
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
    const ownError = (error: unknown): unknown => findSiteInputError(error) ?? templateError(error, root) ?? permalinkConflict(error, root, staging) ?? environmentError(error, root, output) ?? error;
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
    keepFailedCopies();
    const written = await withoutNetwork(() => eleventy.write()).then(
      (result) => {
        console11ty.release();
        return result;
      },
      (error: unknown) => {
        const own = ownError(error);
        if (own instanceof SiteInputError || own instanceof BuildEnvironmentError) console11ty.drop();
        else console11ty.release();
        throw own;
      },
    );
    const clashes = outputClashes([...filesEleventyWrote(written), ...portraitFilesIn(staging)], root, staging);
    if (clashes !== undefined) throw clashes;
    await assertHomePageWritten(staging, root);
    // The links are checked while the CV PDF may still be rendering (with /cv.pdf among the files).
    const coming = filesStillComing(staging);
    const problems = await postBuildProblems(staging, root, process.env['PATH_PREFIX'] ?? '/', linksGeneratedInto(staging), new DiskCache(root), coming.files);
    if (problems.length > 0) throw new SiteInputError(problems);
    await coming.written;
    await chmod(staging, 0o755);
    await leftovers; // a folder that cannot be removed now is tried again next time
    await replaceFolder(staging, output);
    await publishedStaging(staging);
    removeRetiredCaches(root);
  } finally {
    // A failed build (broken links) may still be writing into the folder: it is removed after that.
    await filesStillComing(staging).written.catch(() => undefined);
    dropStartedStylesheets();
    activeStaging.delete(staging);
    takePortraitFiles(staging);
    unstage();
    await removeFolder(staging);
  }
}

/**
 * The files Eleventy's write() says it wrote, with where each came from: in Eleventy 3, the
 * copies of content/assets/ (each a map from the file copied to its copy), then the pages.
 */
function filesEleventyWrote(result: unknown): Array<{ file: string; source: SiteFileSource }> {
  const [copies, pages] = Array.isArray(result) && result.length === 2 ? (result as [unknown, unknown]) : [];
  // Without them no page or asset written over another could be found: this Eleventy is not the one the engine knows.
  if (!Array.isArray(copies) || !Array.isArray(pages)) throw new Error('Eleventy\'s write() did not give back the files it copied and the pages it wrote, as Eleventy 3 does');
  const files: Array<{ file: string; source: SiteFileSource }> = [];
  for (const { map } of copies as Array<{ map?: Record<string, unknown> }>) {
    for (const [from, to] of Object.entries(map ?? {})) if (typeof to === 'string') files.push({ file: path.resolve(to), source: { asset: path.resolve(from) } });
  }
  for (const { inputPath, outputPath } of pages as Array<{ inputPath?: unknown; outputPath?: unknown }>) {
    if (typeof inputPath === 'string' && typeof outputPath === 'string') files.push({ file: path.resolve(outputPath), source: { page: path.resolve(inputPath) } });
  }
  return files;
}

/** The portrait's images this build wrote (see images.ts), with the photo they were made from. */
function portraitFilesIn(staging: string): Array<{ file: string; source: SiteFileSource }> {
  const portrait = takePortraitFiles(staging);
  return portrait === undefined ? [] : portrait.files.map((file) => ({ file, source: { portrait: portrait.source } }));
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

/** A folder beside the output that could not be removed, and why (the file system's words). */
interface Leftover {
  folder: string;
  reason: string;
}

/**
 * Removes each folder it is given, in a thread of its own: tens of thousands of removals through
 * the file system's thread pool would hold up every file the build itself reads and writes. One
 * that cannot be removed (owned by another user) does not stop the others.
 */
const REMOVER = `
const { rmSync, unlinkSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const failed = [];
for (const folder of workerData) {
  try {
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    // Node reports a file it was not permitted to remove (EPERM) as "not a directory": the file itself says why.
    let reason = error;
    if (error.code === 'ENOTDIR' && typeof error.path === 'string') try { unlinkSync(error.path); } catch (why) { reason = why; }
    failed.push({ folder, reason: String(reason && reason.message) });
  }
}
parentPort.postMessage(failed);
`;

/**
 * The sites earlier builds replaced, and staging folders of builds that were killed (Ctrl-C, a
 * closed laptop), which were never published; gives those that could not be removed. A staging
 * folder is named after the process that builds into it, so that a build running beside this one
 * keeps its own, and a site replaced by a swap still in progress (its record there) is left to it.
 */
async function removeLeftovers(output: string): Promise<Leftover[]> {
  const { staging, replaced, swapping } = besideOutput(output);
  // Listed at once, before this build makes its own staging folder beside them.
  const neighbours = neighboursOf(output);
  const swaps = new Set(neighbours.filter((file) => file.startsWith(swapping)).map((file) => file.slice(swapping.length)));
  const folders = neighbours.filter((folder) => (folder.startsWith(replaced) && !swaps.has(folder.slice(replaced.length))) || (folder.startsWith(staging) && abandoned(folder, staging, activeStaging)));
  if (folders.length === 0) return [];
  const remover = new Worker(REMOVER, { eval: true, workerData: folders });
  return new Promise<Leftover[]>((resolve) => {
    let failed: Leftover[] = [];
    remover.once('message', (message: Leftover[]) => (failed = message));
    remover.once('error', (error) => resolve(folders.map((folder) => ({ folder, reason: error.message }))));
    remover.once('exit', () => resolve(failed));
  });
}

/** What the owner is told of folders beside the output that could not be removed: which, why, and how to remove them. */
function leftoversWarning(stuck: readonly Leftover[], root: string, output: string): string {
  const shown = (folder: string): string => path.relative(root, folder).split(path.sep).join('/');
  // "EACCES: permission denied, rmdir '/path'": the words between the code and the call.
  const reasons = stuck.map(({ folder, reason }) => `${shown(folder)} (${/^[A-Z]+: ([^,]+)/.exec(reason)?.[1] ?? reason})`);
  const one = stuck.length === 1;
  return `Warning: ${one ? 'a folder' : `${stuck.length} folders`} that earlier builds left beside ${shown(output)}/ could not be removed: ${reasons.join(', ')}. Each is a whole copy of an earlier site: remove ${one ? 'it' : 'them'} as a user allowed to, e.g. \`sudo rm -rf ${stuck.map(({ folder }) => shown(folder)).join(' ')}\``;
}

/**
 * A build records each swap before it moves the site aside, and removes the record once the new
 * site is in (see replaceFolder). A record left by a build that stopped between the two moves
 * (the site moved aside, the new one still in its staging folder) means the site is missing only
 * because of that: the site moved aside is put back. Any other record left behind is removed and
 * nothing else done: a _site/ the owner deleted stays deleted, and a site replaced by a finished
 * swap is never brought back (removeLeftovers removes it).
 */
function restoreInterruptedSwap(output: string): void {
  if (!existsSync(path.dirname(output))) return;
  const { swapping } = besideOutput(output);
  for (const record of neighboursOf(output).filter((file) => file.startsWith(swapping) && abandoned(file, swapping, activeSwaps))) {
    // A record cut short as it was written (see writeFileAtomically) was written before its swap began.
    const swap = record.endsWith('.tmp') ? undefined : readSwapRecord(record, output);
    if (swap !== undefined && !existsSync(output) && existsSync(swap.replaced) && (swap.staging === undefined || existsSync(swap.staging))) renameSync(swap.replaced, output);
    rmSync(record, { force: true });
  }
}

/** What a swap's record says: the site moved aside, and the staging folder moved in (absent once that folder is gone, see replaceFolder). */
interface SwapRecord {
  replaced: string;
  staging?: string;
}

function writeSwapRecord(record: string, swap: SwapRecord): void {
  const names = { replaced: path.basename(swap.replaced), ...(swap.staging === undefined ? {} : { staging: path.basename(swap.staging) }) };
  writeFileAtomically(record, `${JSON.stringify(names)}\n`, { createFolder: false });
}

/** A swap's record, if it names folders beside the output as a build names them (anything else is not acted on). */
function readSwapRecord(record: string, output: string): SwapRecord | undefined {
  const { staging, replaced } = besideOutput(output);
  const beside = (name: unknown, start: string): string | undefined => {
    const folder = typeof name === 'string' ? path.join(path.dirname(output), name) : undefined;
    return folder !== undefined && folder.startsWith(start) && path.dirname(folder) === path.dirname(output) ? folder : undefined;
  };
  try {
    const names = JSON.parse(readFileSync(record, 'utf8')) as { replaced?: unknown; staging?: unknown };
    const swap = { replaced: beside(names.replaced, replaced), staging: beside(names.staging, staging) };
    if (swap.replaced === undefined || (names.staging !== undefined && swap.staging === undefined)) return undefined;
    return { replaced: swap.replaced, ...(swap.staging === undefined ? {} : { staging: swap.staging }) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a file beside the output belongs to no build still running: its name holds the id of
 * the process that made it (after `start`), and this process's own are those it is not using.
 */
function abandoned(file: string, start: string, active: ReadonlySet<string>): boolean {
  const pid = Number(/^(\d+)-/.exec(file.slice(start.length))?.[1] ?? 0);
  return !active.has(file) && (pid === process.pid || !isRunning(pid));
}

/** What sits beside the output in its parent folder, as paths. */
function neighboursOf(output: string): string[] {
  return readdirSync(path.dirname(output)).map((name) => path.join(path.dirname(output), name));
}

/** How the hidden files beside the output begin: a build's staging folder, a site it replaced, and the record of a swap in progress. */
function besideOutput(output: string): { staging: string; replaced: string; swapping: string } {
  const start = path.join(path.dirname(output), `.${path.basename(output)}`);
  return { staging: `${start}-staging-`, replaced: `${start}-replaced-`, swapping: `${start}-swapping-` };
}

/** The staging folders of this process's builds in progress. */
const activeStaging = new Set<string>();
/** The records of this process's swaps in progress. */
const activeSwaps = new Set<string>();

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

/** A site without a home page: content/index.md is missing, or its permalink sends it elsewhere. */
async function assertHomePageWritten(folder: string, root: string): Promise<void> {
  try {
    await access(path.join(folder, 'index.html'));
  } catch {
    const page = path.join(root, 'content', 'index.md');
    if (!existsSync(page)) throw new SiteInputError([{ file: 'content/index.md', message: 'this file is missing: the site\'s home page (/index.html, the About page) is made from it; create it' }]);
    const line = permalinkLine(page);
    throw new SiteInputError([{ file: 'content/index.md', ...(line === undefined ? {} : { line, key: 'permalink' }), message: 'the site has no home page (/index.html): this page is the home page; remove its permalink' }]);
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
 * tens of thousands of files would otherwise be the last thing every build waits for. The swap is
 * recorded beside them from before the first rename until after the second, so that a build
 * stopped in between (killed, a power cut) is told from a _site/ the owner deleted: the next build
 * puts the site back in the first case only (restoreInterruptedSwap).
 */
async function replaceFolder(next: string, target: string): Promise<void> {
  const id = `${process.pid}-${Date.now().toString(36)}`;
  const previous = `${besideOutput(target).replaced}${id}`;
  const record = `${besideOutput(target).swapping}${id}`;
  activeSwaps.add(record);
  let keepRecord = false;
  try {
    writeSwapRecord(record, { replaced: previous, staging: next });
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
      // Should the site not go back either, the next build puts it back: the record says so without the staging folder, which this failed build removes.
      if (hadPrevious) {
        await rename(previous, target).catch(() => {
          keepRecord = true;
          writeSwapRecord(record, { replaced: previous });
        });
      }
      throw error;
    }
  } finally {
    if (!keepRecord) rmSync(record, { force: true });
    activeSwaps.delete(record);
  }
}

/**
 * Keeps a failed copy of content/assets/ from ending the process. Eleventy 3.1 starts the copies,
 * then waits for the pages before it handles how the copies went: a copy that fails meanwhile (a
 * file it may not read, a full disk) is an unhandled rejection, which Node turns into a crash with
 * Eleventy's stack trace (and, once handled, a warning). Eleventy reports the same failure as
 * write()'s error, which the build restates in one line; a copy that fails after a write() that
 * failed otherwise (a full disk again) has nothing to add. Installed once, for the process.
 */
function keepFailedCopies(): void {
  if (failedCopiesKept) return;
  failedCopiesKept = true;
  const failedCopies = new WeakSet<Promise<unknown>>();
  process.on('unhandledRejection', (reason, promise) => {
    if ((reason as { name?: unknown } | null)?.name === 'TemplatePassthroughManagerCopyError') {
      failedCopies.add(promise);
      return;
    }
    // Anything else goes as it would without this listener: to another one, or a crash.
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  });
  process.on('rejectionHandled', (promise: Promise<unknown>) => {
    if (!failedCopies.has(promise)) process.emitWarning('Promise rejection was handled asynchronously', 'PromiseRejectionHandledWarning');
  });
}

let failedCopiesKept = false;

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
