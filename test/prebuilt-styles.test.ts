import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileSass } from '../src/sass.ts';
import { makePrebuiltStylesheet, prebuiltStylesheet, type PrebuiltStylesheet } from '../src/prebuilt-styles.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

const listingOf = async (root: string): Promise<string[]> => (await readdir(path.join(root, 'styles'), { recursive: true })).map(String).sort();

describe('the prebuilt stylesheet (src/prebuilt/stylesheet.json)', () => {
  let project: TestProject;
  let entry: string;
  /** A record made for the test project's styles as they are (whatever a fork made of them). */
  let record: PrebuiltStylesheet;
  const prebuilt = async (made: unknown = record, from = entry): Promise<string | undefined> => prebuiltStylesheet(from, project.root, await listingOf(project.root), made);

  before(async () => {
    project = await createTestProject();
    entry = path.join(project.root, 'styles/main.scss');
    record = await makePrebuiltStylesheet(entry, project.root);
  });
  after(async () => project.remove());

  it('the shipped one is Sass\'s output for the styles it was made from, or is not used', async (t) => {
    const shipped = prebuiltStylesheet(path.join(repoRoot, 'styles/main.scss'), repoRoot, await listingOf(repoRoot));
    if (shipped === undefined) {
      // A fork that changed styles/ (or Sass): its builds compile them, as they must.
      t.diagnostic('styles/ differ from src/prebuilt/stylesheet.json: first builds compile them with Sass (`npm run prebuilt-styles` ships them compiled)');
      return;
    }
    assert.equal(shipped, (await compileSass({ entry: path.join(repoRoot, 'styles/main.scss'), projectRoot: repoRoot })).css);
  });

  it('is used for styles exactly as it was made from them, and is Sass\'s output for them', async () => {
    assert.equal(await prebuilt(), (await compileSass({ entry, projectRoot: project.root })).css);
  });

  it('is not used once a Sass file of the styles folder is edited, added or removed, or for another entry point', async () => {
    const tokens = await project.read('styles/_tokens.scss');
    try {
      await project.write('styles/_tokens.scss', `${tokens}\n.own-style { color: #123456; }\n`);
      assert.equal(await prebuilt(), undefined, 'an edited partial');
      await project.write('styles/_tokens.scss', tokens);
      assert.ok((await prebuilt()) !== undefined, 'the partial as it was again');

      await project.write('styles/_extra.scss', '.unused { color: red; }\n');
      assert.equal(await prebuilt(), undefined, 'a new file, even one nothing imports');
      await project.write('styles/themes/_dark.scss', '');
      assert.equal(await prebuilt(), undefined, 'a new folder of partials');
    } finally {
      await project.write('styles/_tokens.scss', tokens);
    }
    await rm(path.join(project.root, 'styles/_extra.scss'));
    await rm(path.join(project.root, 'styles/themes'), { recursive: true });
    assert.ok((await prebuilt()) !== undefined, 'the folder as it was again');
    await project.write('styles/citation/my-style.csl', '<style/>\n');
    assert.ok((await prebuilt()) !== undefined, 'a file Sass does not read (a CSL style) changes nothing');
    await rm(path.join(project.root, 'styles/citation'), { recursive: true });

    const print = await project.read('styles/_print.scss');
    await rm(path.join(project.root, 'styles/_print.scss'));
    assert.equal(await prebuilt(), undefined, 'a removed partial');
    await project.write('styles/_print.scss', print);

    assert.equal(await prebuilt(record, path.join(project.root, 'styles/_base.scss')), undefined, 'another entry point');
  });

  it('is not used when made by another Sass or another src/sass.ts, and a damaged record is not used either', async () => {
    assert.equal(await prebuilt({ ...record, sass: '0.0.1' }), undefined, 'another Sass version');
    assert.equal(await prebuilt({ ...record, compiler: 'f'.repeat(64) }), undefined, 'other options or checks in src/sass.ts');
    for (const damaged of [null, 'css', {}, { ...record, compiler: undefined }, { ...record, files: undefined }, { ...record, files: [{ file: 'styles/main.scss' }] }, { ...record, css: 42 }]) {
      assert.equal(await prebuilt(damaged), undefined, JSON.stringify(damaged));
    }
  });
});
