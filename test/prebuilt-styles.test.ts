import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileSass } from '../src/sass.ts';
import { makePrebuiltStylesheet, prebuiltStylesheet, type PrebuiltStylesheet } from '../src/prebuilt-styles.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

describe('the prebuilt stylesheet (src/prebuilt/stylesheet.json)', () => {
  let project: TestProject;
  let entry: string;
  const listing = async (): Promise<string[]> => (await readdir(path.join(project.root, 'styles'), { recursive: true })).map(String).sort();

  before(async () => {
    project = await createTestProject();
    entry = path.join(project.root, 'styles/main.scss');
  });
  after(async () => project.remove());

  it('is what Sass makes of the engine\'s styles today (after changing styles/ or Sass, run `npm run prebuilt-styles`)', async () => {
    const shipped = JSON.parse(await readFile(path.join(repoRoot, 'src/prebuilt/stylesheet.json'), 'utf8')) as PrebuiltStylesheet;
    assert.deepEqual(await makePrebuiltStylesheet(path.join(repoRoot, 'styles/main.scss'), repoRoot), shipped);
  });

  it('is used for a project whose styles are the shipped ones, and is Sass\'s output for them', async () => {
    const css = prebuiltStylesheet(entry, project.root, await listing());
    assert.equal(css, (await compileSass({ entry, projectRoot: project.root })).css);
  });

  it('is not used once a Sass file of the styles folder is edited, added or removed, or for another entry point', async () => {
    const tokens = await project.read('styles/_tokens.scss');
    try {
      await project.write('styles/_tokens.scss', `${tokens}\n.own-style { color: #123456; }\n`);
      assert.equal(prebuiltStylesheet(entry, project.root, await listing()), undefined, 'an edited partial');
      await project.write('styles/_tokens.scss', tokens);
      assert.ok(prebuiltStylesheet(entry, project.root, await listing()) !== undefined, 'the partial as shipped again');

      await project.write('styles/_extra.scss', '.unused { color: red; }\n');
      assert.equal(prebuiltStylesheet(entry, project.root, await listing()), undefined, 'a new file, even one nothing imports');
      await project.write('styles/themes/_dark.scss', '');
      assert.equal(prebuiltStylesheet(entry, project.root, await listing()), undefined, 'a new folder of partials');
    } finally {
      await project.write('styles/_tokens.scss', tokens);
    }
    await rm(path.join(project.root, 'styles/_extra.scss'));
    await rm(path.join(project.root, 'styles/themes'), { recursive: true });
    assert.ok(prebuiltStylesheet(entry, project.root, await listing()) !== undefined, 'the folder as shipped again');
    await project.write('styles/citation/my-style.csl', '<style/>\n');
    assert.ok(prebuiltStylesheet(entry, project.root, await listing()) !== undefined, 'a file Sass does not read (a CSL style) changes nothing');
    await rm(path.join(project.root, 'styles/citation'), { recursive: true });

    const print = await project.read('styles/_print.scss');
    await rm(path.join(project.root, 'styles/_print.scss'));
    assert.equal(prebuiltStylesheet(entry, project.root, await listing()), undefined, 'a removed partial');
    await project.write('styles/_print.scss', print);

    assert.equal(prebuiltStylesheet(path.join(project.root, 'styles/_base.scss'), project.root, await listing()), undefined, 'another entry point');
  });
});
