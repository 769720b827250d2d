import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Eleventy } from '@11ty/eleventy';
import { createTestProject, type TestProject } from './helpers/project.ts';

// npm start rebuilds the site in _site/ itself, in place: what a deleted or renamed file wrote
// there must go with it, or the preview shows a page that the next build does not publish.

/** Waits until `done` holds, or a minute has gone by: the test's assertion says which. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 60_000 && !(await done()); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Every file of a folder, by its path in it with forward slashes, sorted; not one being written (see atomic-write.ts). */
async function filesOf(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && !/\.\d+\.tmp$/.test(entry.name));
  return files.map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')).sort();
}

const markdownPage = (title: string, body: string): string => `---\ntitle: ${title}\ndescription: ${title}.\n---\n${body}\n`;

describe('npm start, when a file is deleted or renamed while it serves', () => {
  let project: TestProject;
  let eleventy: Eleventy;
  let started: string;
  const served = (file: string): string => path.join(project.root, '_site', file);
  const has = (file: string): boolean => existsSync(served(file));
  /** A served file's text; none while it is not there. */
  const text = (file: string): Promise<string> => readFile(served(file), 'utf8').catch(() => '');
  const stopWatch = (): Promise<void> => (eleventy as unknown as { stopWatch(): Promise<void> }).stopWatch();

  before(async () => {
    project = await createTestProject();
    await project.write('content/talks.md', markdownPage('Talks', 'My talks.'));
    await project.write('content/teaching.md', markdownPage('Teaching', 'My courses.'));
    await project.write('content/assets/handout.txt', 'A handout.\n');
    await project.write('content/assets/slides/2024/keynote.txt', 'Slides.\n');
    // Put into the served folder by hand, beside what the build writes: never the build's to remove.
    await project.write('_site/by-hand.txt', 'Mine.\n');
    await project.write('_site/teaching/by-hand.txt', 'Mine too.\n');
    // As npm start runs it: from the project's folder, with the folders as it names them.
    started = process.cwd();
    process.chdir(project.root);
    eleventy = new Eleventy('content', '_site', { configPath: '.eleventy.ts', quietMode: true, runMode: 'watch' });
    await eleventy.init();
    await eleventy.watch();
    await until(() => has('cv.pdf')); // written after the pages, while serving
  });

  after(async () => {
    await stopWatch();
    process.chdir(started);
    await project.remove();
  });

  it('deleting a page rebuilds the site without it: its page goes, with the folder it leaves empty, and nothing else', async () => {
    const before = await filesOf(path.join(project.root, '_site'));
    assert.ok(before.includes('talks/index.html') && before.includes('teaching/index.html'));
    await rm(path.join(project.root, 'content/talks.md'));
    await rm(path.join(project.root, 'content/teaching.md'));
    await until(() => !has('talks/index.html') && !has('teaching/index.html'));
    assert.equal(has('talks/index.html'), false, 'the deleted page is no longer served');
    assert.equal(has('teaching/index.html'), false);
    assert.equal(existsSync(served('talks')), false, 'nor its empty folder');
    // Every other file is still there: the pages, the publications' pages and .bib files, the CV
    // PDF, the portrait's images, the copied assets, and the files put there by hand.
    assert.deepEqual(await filesOf(path.join(project.root, '_site')), before.filter((file) => file !== 'talks/index.html' && file !== 'teaching/index.html'));
    assert.equal(await readFile(served('teaching/by-hand.txt'), 'utf8'), 'Mine too.\n');
  });

  it('renaming a page serves it at its new address only', async () => {
    await project.write('content/courses.md', markdownPage('Courses', 'What I teach.'));
    await until(() => has('courses/index.html'));
    await rename(path.join(project.root, 'content/courses.md'), path.join(project.root, 'content/lectures.md'));
    await until(() => has('lectures/index.html') && !has('courses/index.html'));
    assert.equal(has('lectures/index.html'), true);
    assert.equal(has('courses/index.html'), false, 'the old address is no longer served');
    assert.equal(existsSync(served('courses')), false);
  });

  it('deleting an asset, or a folder of them, removes their copies and the folders they leave empty', async () => {
    assert.ok(has('assets/handout.txt') && has('assets/slides/2024/keynote.txt'));
    await rm(path.join(project.root, 'content/assets/handout.txt'));
    await rm(path.join(project.root, 'content/assets/slides'), { recursive: true });
    await until(() => !has('assets/handout.txt') && !has('assets/slides/2024/keynote.txt'));
    assert.equal(has('assets/handout.txt'), false);
    assert.equal(has('assets/slides/2024/keynote.txt'), false);
    assert.equal(existsSync(served('assets/slides')), false, 'the folders the copies were in went with them');
    assert.equal(has('assets/portrait.jpg'), true, 'the other assets stay');
    assert.equal(has('by-hand.txt'), true);
  });

  it('a page deleted as a publication takes its address back leaves the publication\'s page', async () => {
    const bib = await project.read('publications.bib');
    const start = bib.indexOf('@inproceedings{mytilinis2015io,');
    const end = bib.indexOf('\n@', start + 1);
    const page = 'publications/mytilinis2015io/index.html';
    await project.write('publications.bib', bib.slice(0, start) + bib.slice(end + 1));
    await project.write('content/taken.md', `---\ntitle: Taken\ndescription: Taken.\npermalink: /${page.replace('index.html', '')}\n---\nNow a page of mine.\n`);
    await until(async () => (await text(page)).includes('Now a page of mine.'));
    assert.match(await text(page), /Now a page of mine\./);
    await rm(path.join(project.root, 'content/taken.md'));
    await project.write('publications.bib', bib);
    await until(async () => (await text(page)).includes('citation_title'));
    assert.match(await text(page), /citation_title/, 'the publication\'s own page');
    assert.equal(has('publications/mytilinis2015io.bib'), true);
  });

  it('a page written by a rebuild that failed is still removed once it is deleted', async () => {
    // Rebuilds fail after Eleventy has written its pages while a page takes a publication's address.
    const publication = 'publications/nanos2014xen2mx/index.html';
    await project.write('content/clash.md', `---\ntitle: Clash\ndescription: Clash.\npermalink: /${publication.replace('index.html', '')}\n---\nA clash.\n`);
    await until(async () => (await text(publication)).includes('A clash.'));
    await project.write('content/extra.md', markdownPage('Extra', 'More about me.'));
    await until(() => has('extra/index.html'));
    // Deleted while the site is still broken: the rebuild that follows fails too, and removes nothing.
    await rm(path.join(project.root, 'content/extra.md'));
    await rm(path.join(project.root, 'content/clash.md'));
    await until(async () => !has('extra/index.html') && (await text(publication)).includes('citation_title'));
    assert.equal(has('extra/index.html'), false, 'the page of a failed rebuild is no longer served');
    assert.match(await text(publication), /citation_title/, 'the publication has its page back');
  });
});
