import { Eleventy } from '@11ty/eleventy';
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface BuildOptions {
  /** The project folder: holds .eleventy.ts, content/ and publications.bib. */
  root: string;
  /** Where the finished site goes, relative to root or absolute. */
  output?: string;
  quiet?: boolean;
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
  await mkdir(path.dirname(output), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(output), `.${path.basename(output)}-staging-`));
  try {
    const eleventy = new Eleventy(path.join(root, 'content'), staging, {
      configPath: path.join(root, '.eleventy.ts'),
      quietMode: options.quiet ?? true,
    });
    await eleventy.write();
    await assertHomePageWritten(staging);
    await chmod(staging, 0o755);
    await replaceFolder(staging, output);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { output };
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
