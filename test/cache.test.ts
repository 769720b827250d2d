import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatWithStyle } from '../src/bibliography/csl.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';
import { deferCacheWrites, DiskCache, flushCacheWrites } from '../src/cache.ts';
import { workersInProgress, workersStarted } from '../src/parallel.ts';
import { loadSite } from '../src/site/load-site.ts';
import { loadSiteModel } from '../src/site-model.ts';
import { stylesheet } from '../src/styles.ts';
import { createTestProject, snapshotFolder, type TestProject } from './helpers/project.ts';
import { noWorkersLeft } from './helpers/workers.ts';

async function cacheFiles(root: string, kind: string): Promise<string[]> {
  const folder = path.join(root, '.cache', 'academic-homepage', kind);
  return (await readdir(folder, { recursive: true }).catch(() => [] as string[])).map(String).filter((file) => file.endsWith('.json')).sort();
}

/** The example's APA citations, as cached: HTML by a hash of each entry's CSL data. */
async function citationPack(root: string): Promise<Record<string, string>> {
  const [file, ...others] = await cacheFiles(root, 'citations');
  assert.equal(others.length, 0);
  const text = await readFile(path.join(root, '.cache', 'academic-homepage', 'citations', file ?? ''), 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, string>;
}

const site = (root: string): Promise<Map<string, string>> => snapshotFolder(path.join(root, '_site'));

describe('the build cache (.cache/)', () => {
  let project: TestProject;
  let cold: Map<string, string>;
  before(async () => {
    project = await createTestProject();
    await project.build();
    cold = await site(project.root);
  });
  after(async () => project.remove());

  it('keeps the parsed bibliography, the formatted citations (one file for the style) and the portrait files', async () => {
    assert.equal((await cacheFiles(project.root, 'bibliography')).length, 1);
    assert.equal(Object.keys(await citationPack(project.root)).length, 18, 'one file holds the style\'s citations');
    assert.equal((await cacheFiles(project.root, 'cv-pdf')).length, 1);
    assert.ok((await readdir(path.join(project.root, '.cache', 'academic-homepage', 'img'))).some((file) => file.endsWith('.avif')));
  });

  it('a warm build gives the same bytes as a cold one', async () => {
    await project.build();
    assert.deepEqual(await site(project.root), cold);
  });

  it('a build that finds its citations and CV PDF kept starts no worker; one after the bibliography was saved unchanged stops those it started', async () => {
    await project.build();
    assert.equal(workersInProgress(), 0);
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(project.root, 'publications.bib'), later, later);
    await project.build();
    await noWorkersLeft();
    assert.deepEqual(await site(project.root), cold);
  });

  it('editing one entry formats that entry again and no other', async () => {
    const before = await citationPack(project.root);
    const bib = await project.read('publications.bib');
    const edited = bib.replace('= {{I/O} in Virtualized environments}', '= {{I/O} in Virtualized Environments}');
    const formatted: string[][] = [];
    // Read as the build reads it, with the fields site.yaml hides (the example hides keywords, which are then not cited).
    const { hide_fields: hiddenFields } = (await loadSite(project.root, 'content/_data/site.yaml')).publications;
    const format = async (text: string): Promise<void> => {
      const { publications } = await readBibtex(text, { file: 'publications.bib', hiddenFields });
      await formatWithStyle(publications, 'apa', project.root, 'site.yaml', new DiskCache(project.root), { onFormat: (keys) => formatted.push([...keys]) });
    };
    await format(bib);
    await format(edited);
    await format(edited);
    assert.deepEqual(formatted, [[], ['nanos2013hu'], []]);
    await project.write('publications.bib', edited);
    await project.build();
    const after = await citationPack(project.root);
    assert.equal(Object.keys(after).length, 18, 'the old citation of the edited entry is gone');
    assert.deepEqual(Object.keys(after).filter((key) => !(key in before)).map((key) => after[key]), ['Nanos, A. (2013, June). <i>I/O in Virtualized Environments</i>. Invited talk, WBI Seminar, Humboldt University of Berlin, Berlin, Germany.']);
    await project.write('publications.bib', bib);
  });

  it('corrupted or tampered cache files are detected and rebuilt, never trusted', async () => {
    for (const kind of ['bibliography', 'bibtex-entries', 'citations', 'checked-yaml', 'link-check', 'cv-pdf', 'cv-glyphs', 'styles', 'portrait', 'nunjucks-templates', 'cv-lines']) {
      for (const file of await cacheFiles(project.root, kind)) {
        const full = path.join(project.root, '.cache', 'academic-homepage', kind, file);
        const text = await readFile(full, 'utf8');
        // Half of them truncated, half with a changed value (after the header line) but the old checksum.
        const tampered = (value: string): string => value.replace(/[a-z0-9]/, (character) => (character === 'a' ? 'b' : 'a'));
        await writeFile(full, file.charCodeAt(0) % 2 === 0 ? text.slice(0, text.length / 2) : text.replace(/\n([\s\S]*)$/, (_match, value: string) => `\n${tampered(value)}`));
      }
    }
    await project.build();
    assert.deepEqual(await site(project.root), cold);
  });

  it('an edited Sass partial, or a new portrait, shows in the next warm build', async () => {
    const tokens = await project.read('styles/_tokens.scss');
    await project.write('styles/_tokens.scss', `${tokens}\n.cache-test-marker { color: #123456; }\n`);
    await project.build();
    assert.match(await project.read('_site/assets/site.css'), /\.cache-test-marker\{color:#123456\}/);
    const photo = await readFile(path.join(project.root, 'content/assets/portrait.jpg'));
    const sharp = (await import('sharp')).default;
    await project.write('content/assets/portrait.jpg', await sharp(photo).flop().jpeg().toBuffer());
    await project.build();
    const images = (await readdir(path.join(project.root, '_site/assets/img'))).sort();
    assert.notDeepEqual(images, [...cold.keys()].filter((file) => file.startsWith('assets/img/')).map((file) => file.slice('assets/img/'.length)).sort());
    assert.ok((await project.read('_site/index.html')).includes(`/assets/img/${images.find((file) => file.endsWith('.jpeg')) ?? 'none'}`));
    await project.write('styles/_tokens.scss', tokens);
    await project.write('content/assets/portrait.jpg', photo);
  });

  it('a slot keeps only the latest value: an edited bibliography or CV replaces its cache file', async () => {
    const cache = new DiskCache(project.root);
    await cache.set('test-slot', 'a'.repeat(64), 'first', 'the-slot');
    await cache.set('test-slot', 'b'.repeat(64), 'second', 'the-slot');
    assert.equal((await cacheFiles(project.root, 'test-slot')).length, 1);
    assert.equal(await cache.get('test-slot', 'a'.repeat(64), 'the-slot'), undefined);
    assert.equal(await cache.get('test-slot', 'b'.repeat(64), 'the-slot'), 'second');
    const bib = await project.read('publications.bib');
    for (const edit of ['First edit', 'Second edit']) {
      await project.write('publications.bib', bib.replace('@article{koukis2010gmblock,', `@article{koukis2010gmblock,\n  note = {${edit}},`));
      await project.build();
    }
    await project.write('publications.bib', bib);
    await project.build();
    assert.equal((await cacheFiles(project.root, 'bibliography')).length, 1);
    assert.equal((await cacheFiles(project.root, 'cv-pdf')).length, 1);
  });

  it('while serving, writes wait until the rebuilt pages are shown, and reads see them meanwhile', async (t) => {
    t.after(() => deferCacheWrites(false));
    const cache = new DiskCache(project.root);
    deferCacheWrites(true);
    await cache.set('test-deferred', 'c'.repeat(64), { waiting: true });
    assert.deepEqual(await cacheFiles(project.root, 'test-deferred'), [], 'not written yet');
    assert.deepEqual(await cache.get('test-deferred', 'c'.repeat(64)), { waiting: true });
    flushCacheWrites();
    assert.equal((await cacheFiles(project.root, 'test-deferred')).length, 1);
    assert.deepEqual(await new DiskCache(project.root).get('test-deferred', 'c'.repeat(64)), { waiting: true });
  });

  it('while serving, the style and the stylesheet compile in the main thread, which keeps them loaded between edits', async () => {
    const files = { root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' };
    const bib = await project.read('publications.bib');
    await project.write('publications.bib', bib.replace('= {{I/O} in Virtualized environments}', '= {{I/O} in virtualized environments}'));
    // Styles of its own: the shipped ones come precompiled (src/prebuilt-styles.ts).
    const tokens = await project.read('styles/_tokens.scss');
    await project.write('styles/_tokens.scss', `${tokens}\n.own-style { color: #123456; }\n`);
    try {
      const before = workersStarted();
      const model = await loadSiteModel(files);
      assert.ok(model.publications.all.some((view) => view.citationHtml?.includes('I/O in virtualized environments')), 'the edited entry was formatted');
      await stylesheet(path.join(project.root, 'styles/main.scss'), project.root, new DiskCache(project.root, false));
      assert.equal(workersStarted(), before, 'no worker was started');
      const later = new Date(Date.now() + 60_000);
      await utimes(path.join(project.root, 'publications.bib'), later, later); // saved again since
      await loadSiteModel(files, { startWorkersEarly: true });
      assert.equal(workersStarted(), before + 1, 'a build compiles the style in a worker');
      await noWorkersLeft();
      await stylesheet(path.join(project.root, 'styles/main.scss'), project.root, new DiskCache(project.root, false), { inWorker: true });
      assert.equal(workersStarted(), before + 2, 'and Sass in another');
      await noWorkersLeft();
    } finally {
      await project.write('publications.bib', bib);
      await project.write('styles/_tokens.scss', tokens);
    }
  });

  it('what earlier versions kept and this one never reads is removed by a build', async () => {
    // One file per entry's citation, before a style's citations were kept in one file.
    await project.write('.cache/academic-homepage/citation/ab/ab12.json', '{}\n"an old citation"');
    await project.build();
    assert.deepEqual(await cacheFiles(project.root, 'citation'), []);
    assert.equal((await readdir(path.join(project.root, '.cache', 'academic-homepage'))).includes('citation'), false);
  });

  it('an envelope from another code version is ignored', async () => {
    const cache = new DiskCache(project.root);
    await cache.set('test', 'k'.repeat(64), { answer: 42 });
    assert.deepEqual(await cache.get('test', 'k'.repeat(64)), { answer: 42 });
    const [file] = await cacheFiles(project.root, 'test');
    const full = path.join(project.root, '.cache', 'academic-homepage', 'test', file ?? '');
    await writeFile(full, (await readFile(full, 'utf8')).replace(/"version":"[^"]+"/, '"version":"older"'));
    assert.equal(await cache.get('test', 'k'.repeat(64)), undefined);
  });

  it('a value kept a moment later (setSoon) is read back at once, and is on disk once the event loop turns', async () => {
    const cache = new DiskCache(project.root);
    const folder = path.join(project.root, '.cache', 'academic-homepage', 'test-soon');
    const onDisk = (): string[] => (existsSync(folder) ? readdirSync(folder, { recursive: true }).map(String).filter((file) => file.endsWith('.json')) : []);
    cache.setSoon('test-soon', 's'.repeat(64), { answer: 42 });
    assert.deepEqual(onDisk(), [], 'not written yet: the work under way goes first');
    assert.deepEqual(await cache.get('test-soon', 's'.repeat(64)), { answer: 42 }, 'but read back already');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(onDisk().length, 1);
    assert.deepEqual(await new DiskCache(project.root).get('test-soon', 's'.repeat(64)), { answer: 42 });
  });
});
