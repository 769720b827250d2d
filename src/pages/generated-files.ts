import { linkSync, lstatSync, mkdirSync, rmdirSync, rmSync, statSync, type Stats } from 'node:fs';
import { writeFileAtomically } from '../atomic-write.ts';
import path from 'node:path';
import { hashOf, type DiskCache } from '../cache.ts';
import { pageLinks, type PageLinks } from '../link-check.ts';
import { mayUseWorkers } from '../parallel.ts';
import { FileWriter, type WrittenStat } from './file-writer.ts';

/** A file the engine writes itself, beside Eleventy's pages: a publication page or its BibTeX. */
export interface GeneratedFile {
  /** Where it goes in the site, with forward slashes: `publications/<id>/index.html`. */
  path: string;
  /** A hash of everything its content depends on: the same key, the same bytes. */
  key: string;
  render(): string | Promise<string>;
}

export interface GeneratedFilesOptions {
  /** The folder written into: a build's staging folder, or the published site itself (`npm start`). */
  output: string;
  /** The published site, whose unchanged files are kept. */
  published: string;
  cache: DiskCache;
  /** In place: the files Eleventy wrote, which a generated file that went away must not take with it. */
  eleventyWrote?: ReadonlySet<string>;
  /** Sets of files written apart (the publication pages, their .bib files) each keep their own record. */
  set?: string;
  /**
   * Kept files are linked from the published site only once this resolves: files written before
   * Eleventy's pages must not be links when Eleventy writes a page of content/ at the same address
   * (it writes in place, through the link, into the published site) before that is found out.
   */
  linkAfter?: Promise<void>;
}

/** What was written for one file, with the stat that proves it has not been touched since. */
interface Written {
  key: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** For pages: what the link check needs, so that an unchanged page is not read again. */
  links?: PageLinks;
}

interface Manifest {
  files: Record<string, Written>;
}

/** Staging folders of builds in progress, and the published folder each will replace (see src/build.ts). */
const stagingTargets = new Map<string, string>();

/** Tells the pages that a build writes into `staging` and will then replace `folder` with it. */
export function stageFor(staging: string, folder: string): () => void {
  stagingTargets.set(path.resolve(staging), path.resolve(folder));
  return () => {
    stagingTargets.delete(path.resolve(staging));
    generatedLinks.delete(path.resolve(staging));
    manifestsToSave.delete(path.resolve(staging));
    filesToCome.delete(path.resolve(staging));
  };
}

/** The folder a build's output will be published as: itself, unless it is a staging folder. */
export function publishedFolderOf(output: string): string {
  return stagingTargets.get(path.resolve(output)) ?? path.resolve(output);
}

/** Records of staging folders (one per set of files), saved when their build is published (see publishedStaging). */
const manifestsToSave = new Map<string, Array<() => Promise<void>>>();

/** Tells the pages that the build in `staging` has replaced the published site: its record now holds. */
export async function publishedStaging(staging: string): Promise<void> {
  for (const save of manifestsToSave.get(path.resolve(staging)) ?? []) await save();
  manifestsToSave.delete(path.resolve(staging));
}

/** The links of the pages generated into each output folder by its last build, for the link check. */
const generatedLinks = new Map<string, Map<string, PageLinks>>();

/** Adds the links of pages written by Eleventy, taken from what it wrote, to those of an output folder. */
export function recordPageLinks(output: string, pages: ReadonlyMap<string, PageLinks>): void {
  const links = generatedLinks.get(path.resolve(output)) ?? new Map<string, PageLinks>();
  for (const [file, found] of pages) links.set(file, found);
  generatedLinks.set(path.resolve(output), links);
}

export function linksGeneratedInto(output: string): ReadonlyMap<string, PageLinks> {
  return generatedLinks.get(path.resolve(output)) ?? new Map();
}

/** Files a build writes into its staging folder after Eleventy is done with it, by folder (see filesStillComing). */
const filesToCome = new Map<string, { files: string[]; written: Promise<void> }>();

/**
 * Whether the engine may write `file` into `output` after Eleventy's build of it has ended: only
 * into a staging folder (src/build.ts then checks the site, with `file` in it, while the file is
 * still being made, and waits for it before publishing). Elsewhere the file must be written before
 * Eleventy's build ends. `written` resolves once it is on disk.
 */
export function writeAfterEleventy(output: string, file: string, written: Promise<void>): boolean {
  const staging = path.resolve(output);
  if (!stagingTargets.has(staging)) return false;
  const coming = filesToCome.get(staging);
  const all = Promise.all([coming?.written, written]).then(() => undefined);
  all.catch(() => undefined); // reported by whoever waits for it (see filesStillComing), which may be later
  filesToCome.set(staging, { files: [...(coming?.files ?? []), file], written: all });
  return true;
}

/** The files still being written into a staging folder (paths relative to it), and when they all are. */
export function filesStillComing(output: string): { files: readonly string[]; written: Promise<void> } {
  return filesToCome.get(path.resolve(output)) ?? { files: [], written: Promise.resolve() };
}

/**
 * Writes the engine's own files into `output`, rendering only those whose key
 * changed since they were last written into the published site. A build renders
 * into a staging folder beside the published site and hard-links what it can
 * reuse from there; `npm start` writes into the published site itself and leaves
 * unchanged files alone. A file is reused only if it is still exactly the one that
 * was written (same inode, size and modification time); anything else, or no
 * record at all (a cold cache), renders it again.
 */
export async function writeGeneratedFiles(files: readonly GeneratedFile[], options: GeneratedFilesOptions): Promise<void> {
  const output = path.resolve(options.output);
  const from = path.resolve(options.published);
  const inPlace = output === from;
  const manifestKey = options.set === undefined ? hashOf('generated-files', from) : hashOf('generated-files', from, options.set);
  const before = (await options.cache.get<Manifest>('generated-files', manifestKey))?.files ?? {};
  const after: Record<string, Written> = {};
  const links = new Map<string, PageLinks>();
  const folders = new Set<string>();
  let canLink = true;
  let reused = 0;
  const folderFor = (target: string): void => {
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
  };
  // Into a staging folder, new files are written by a thread of their own while the next ones render.
  const writer = inPlace ? undefined : new FileWriter(mayUseWorkers());
  /** Keeps the file from the published site if it is still exactly the one written for its key, else renders and writes it. */
  const place = async (file: GeneratedFile): Promise<void> => {
    const target = path.join(output, file.path);
    const previous = before[file.path];
    if (previous !== undefined && previous.key === file.key && unchanged(statSync(path.join(from, file.path), { throwIfNoEntry: false }), previous)) {
      let kept = inPlace;
      if (!inPlace && canLink) {
        try {
          folderFor(target);
          linkSync(path.join(from, file.path), target);
          kept = true;
        } catch {
          canLink = false; // a file system without hard links: render everything instead
        }
      }
      if (kept) {
        after[file.path] = previous;
        if (previous.links !== undefined) links.set(file.path, previous.links);
        reused++;
        return;
      }
    }
    const content = await file.render();
    const written: Written = { key: file.key, size: 0, mtimeMs: 0, ino: 0 };
    if (file.path.endsWith('.html')) {
      written.links = pageLinks(content);
      links.set(file.path, written.links);
    }
    after[file.path] = written;
    const recordStat = (stat: WrittenStat): void => {
      written.size = stat.size;
      written.mtimeMs = stat.mtimeMs;
      written.ino = stat.ino;
    };
    if (writer !== undefined) {
      writer.write(target, content, recordStat);
      await writer.room();
      return;
    }
    // In place, never write through the old file: it may be a hard link shared with an earlier site.
    writeFileAtomically(target, content);
    recordStat(statSync(target));
  };
  try {
    // Files that may be kept wait for `linkAfter`; new ones are written meanwhile.
    const mayKeep: GeneratedFile[] = [];
    for (const file of files) {
      if (options.linkAfter !== undefined && before[file.path]?.key === file.key) mayKeep.push(file);
      else await place(file);
    }
    if (mayKeep.length > 0) {
      await options.linkAfter;
      for (const file of mayKeep) await place(file);
    }
    await writer?.finish();
  } finally {
    await writer?.close();
  }
  if (inPlace) {
    // Files generated before and not now (a deleted entry's page) would otherwise stay in the served
    // site; but not one that a page of content/ has just taken over.
    removeFilesNoLongerWritten(output, Object.keys(before), (file) => after[file] !== undefined || options.eleventyWrote?.has(file) === true);
  }
  // Unchanged when every file was reused and none went away: no need to write it again.
  if (reused < files.length || Object.keys(before).length !== files.length) {
    const save = (): Promise<void> => options.cache.set<Manifest>('generated-files', manifestKey, { files: after });
    // A build's record describes the published site only once the build has replaced it.
    if (inPlace) await save();
    else manifestsToSave.set(output, [...(manifestsToSave.get(output) ?? []), save]);
  }
  recordPageLinks(output, links);
}

/**
 * Removes from `output`, a folder rebuilt in place (`npm start`), the files an earlier build wrote
 * into it (paths in the site, with forward slashes) that are no longer written, and the folders
 * that leaves empty: nothing else is there to take away what a deleted page or entry left. Only
 * files below `output` are removed, never a folder that still holds anything.
 */
export function removeFilesNoLongerWritten(output: string, writtenBefore: Iterable<string>, stillWritten: (file: string) => boolean): void {
  const root = path.resolve(output);
  for (const file of writtenBefore) {
    const target = path.resolve(root, file);
    if (stillWritten(file) || !isBelow(root, target)) continue;
    // Gone already, or a folder at its address now (a file that became a folder of files): not the file written.
    const stat = lstatSync(target, { throwIfNoEntry: false });
    if (stat === undefined || stat.isDirectory()) continue;
    rmSync(target, { force: true });
    removeEmptyFolders(root, path.dirname(target));
  }
}

/** Removes `folder` and then each folder above it that this leaves empty, up to `root` (kept). */
function removeEmptyFolders(root: string, folder: string): void {
  for (let current = folder; isBelow(root, current); current = path.dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return; // not empty (or already gone): neither it nor the folders above it are to be removed
    }
  }
}

function isBelow(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

function unchanged(stat: Stats | undefined, written: Written): boolean {
  return stat !== undefined && stat.isFile() && stat.ino === written.ino && stat.size === written.size && stat.mtimeMs === written.mtimeMs;
}
