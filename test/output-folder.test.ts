import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeFileAtomically } from '../src/atomic-write.ts';
import { environmentError, SiteInputError } from '../src/errors.ts';
import { createTestProject, repoRoot, snapshotFolder, type TestProject } from './helpers/project.ts';

/** The hidden files a build keeps beside _site/ (staging folders, replaced sites, swap records), by name. */
async function besideSite(project: TestProject): Promise<string[]> {
  return (await readdir(project.root)).filter((name) => name.startsWith('._site-')).sort();
}

/** A build that fails (a broken BibTeX entry), as the owner's next build after a mistake. */
async function failingBuild(project: TestProject): Promise<void> {
  const bibliography = await project.read('publications.bib');
  await project.write('publications.bib', `${bibliography}\n@article{broken, title={\n`);
  try {
    await assert.rejects(project.build(), SiteInputError);
  } finally {
    await project.write('publications.bib', bibliography);
  }
}

describe('publishing _site/: a site the owner deleted stays deleted, a swap cut short is put right', () => {
  let project: TestProject;
  let siteData: string;
  const site = (): string => path.join(project.root, '_site');
  before(async () => {
    project = await createTestProject();
    siteData = await project.read('content/_data/site.yaml');
  });
  after(() => project.remove());

  /** Makes the next build a site of this version: its job title, on every page, says which. */
  const version = (name: string): Promise<void> => project.write('content/_data/site.yaml', siteData.replace(/^title: .*$/m, `title: ${name}`));

  /** Builds in a process of its own that dies at this point of the swap (see the fixture). */
  function stopDuringSwap(when: 'before-first' | 'between' | 'after-second'): void {
    const fixture = path.join(repoRoot, 'test/fixtures/output-folder/stop-during-swap.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', fixture, project.root, when], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(result.signal, 'SIGKILL', `the build stopped where it was told to: ${result.stderr}`);
  }

  it('a failed build after the owner deleted _site/ brings back no older site', async () => {
    await version('Version One');
    await project.build();
    await version('Version Two');
    await project.build();
    assert.match(await project.read('_site/index.html'), /Version Two/);
    await rm(site(), { recursive: true });
    await failingBuild(project);
    assert.ok(!existsSync(site()), 'no _site/: the owner deleted it, and the build failed');
    assert.deepEqual(await besideSite(project), [], 'the sites earlier builds replaced are removed, never put back');
    await project.build();
    assert.match(await project.read('_site/index.html'), /Version Two/);
  });

  it('a build stopped between moving _site/ aside and moving the new site in: the next build, even a failed one, puts the site back', async () => {
    await version('Version One');
    await project.build();
    const published = await snapshotFolder(site());
    await version('Version Two');
    stopDuringSwap('between');
    assert.ok(!existsSync(site()), 'the swap was cut short with no _site/');
    assert.ok((await besideSite(project)).some((name) => name.startsWith('._site-swapping-')), 'the swap in progress is recorded');
    await failingBuild(project);
    assert.deepEqual(await snapshotFolder(site()), published, 'the site that was published is back, byte for byte');
    assert.deepEqual(await besideSite(project), []);
  });

  it('a build stopped just after the new site moved in: the site the owner then deletes stays deleted', async () => {
    await version('Version One');
    await project.build();
    await version('Version Two');
    stopDuringSwap('after-second');
    assert.match(await project.read('_site/index.html'), /Version Two/, 'the new site is in');
    assert.ok((await besideSite(project)).some((name) => name.startsWith('._site-swapping-')), 'with its record still there');
    await rm(site(), { recursive: true });
    await failingBuild(project);
    assert.ok(!existsSync(site()), 'the site it replaced is not brought back');
    assert.deepEqual(await besideSite(project), []);
  });

  it('a build stopped as it was about to move _site/ aside leaves the site as it was; deleted, it stays deleted', async () => {
    await version('Version One');
    await project.build();
    const published = await snapshotFolder(site());
    await version('Version Two');
    stopDuringSwap('before-first');
    assert.deepEqual(await snapshotFolder(site()), published);
    await rm(site(), { recursive: true });
    await failingBuild(project);
    assert.ok(!existsSync(site()));
    assert.deepEqual(await besideSite(project), []);
    await project.build();
    assert.match(await project.read('_site/index.html'), /Version Two/);
  });
});

describe('folders earlier builds left beside _site/', () => {
  it('one that cannot be removed stops no other removal, and every build names it in one warning', async (t) => {
    const project = await createTestProject();
    const stuck = path.join(project.root, '._site-replaced-1-stuck');
    // The tests run as root, who may remove any file but none in a folder marked immutable: the
    // stand-in for a site built by another user (sudo npm run build), which the owner may not remove.
    t.after(async () => {
      spawnSync('chattr', ['-i', path.join(stuck, 'assets')]);
      await project.remove();
    });
    await project.build();
    await mkdir(path.join(stuck, 'assets'), { recursive: true });
    await writeFile(path.join(stuck, 'assets', 'site.css'), 'body {}\n');
    if (spawnSync('chattr', ['+i', path.join(stuck, 'assets')]).status !== 0) {
      t.skip('chattr +i is not available here');
      return;
    }
    // Others to remove: sites replaced, and the staging folder of a build that was killed (no such process).
    const others = ['._site-replaced-2-older', '._site-replaced-3-old', '._site-staging-999999999-killed'];
    for (const name of others) await project.write(`${name}/index.html`, '<!doctype html>\n');
    const warn = t.mock.method(console, 'warn', () => undefined);
    const warnings = (): string[] => warn.mock.calls.map((call) => String(call.arguments[0])).filter((text) => text.includes('could not be removed'));
    for (const build of [1, 2]) {
      warn.mock.resetCalls();
      await project.build();
      assert.equal(warnings().length, 1, `build ${build} says it once`);
      assert.match(warnings()[0] ?? '', /^Warning: a folder that earlier builds left beside _site\/ could not be removed: \._site-replaced-1-stuck \(operation not permitted\)\. Each is a whole copy of an earlier site: remove it as a user allowed to, e\.g\. `sudo rm -rf \._site-replaced-1-stuck`$/);
      for (const name of others) assert.ok(!existsSync(path.join(project.root, name)), `${name} is removed`);
      assert.deepEqual((await besideSite(project)).filter((name) => name.startsWith('._site-replaced-')).length, 2, 'the stuck one and the site this build replaced, which the next removes');
    }
  });
});

describe('what the build command says when the machine stands in its way: one line, no stack', () => {
  let project: TestProject;
  let published: Map<string, string>;
  // Root reads and writes whatever the permissions say: the builds run as another user (nobody).
  const asAnotherUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const cannotSwitchUser = asAnotherUser.length > 0 && spawnSync('setpriv', ['--version']).status !== 0;

  function buildCommand(environment: Record<string, string> = {}): SpawnSyncReturns<string> {
    const [command = '', ...args] = [...asAnotherUser, process.execPath, '--import', 'tsx', 'src/cli/build.ts'];
    return spawnSync(command, args, { cwd: project.root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', HOME: tmpdir(), ...environment } });
  }

  /** The command failed, and said so in its two lines: what is wrong, and that the site is as it was. */
  async function assertFailure(result: SpawnSyncReturns<string>, message: RegExp): Promise<void> {
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(result.stderr.trimEnd().split('\n').slice(1), ['The previous _site/ (if any) was left unchanged.'], `one line of message: ${result.stderr}`);
    assert.match(result.stderr.split('\n')[0] ?? '', message);
    assert.doesNotMatch(`${result.stdout}${result.stderr}`, /^\s+at |\[11ty\] Problem|_site-staging/m, 'no stack, no second report, no staging folder');
    assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), published);
  }

  /** Runs the build with a file (or folder) of the project made unreadable or unwritable. */
  async function withMode(file: string, mode: number, run: () => Promise<void>): Promise<void> {
    const absolute = path.join(project.root, file);
    await chmod(absolute, mode);
    try {
      await run();
    } finally {
      await chmod(absolute, file === '.' ? 0o777 : 0o644);
    }
  }

  before(async () => {
    project = await createTestProject();
    if (cannotSwitchUser) return;
    await project.write('content/assets/notes.pdf', '%PDF-1.4\n');
    assert.equal(spawnSync('chmod', ['-R', 'a+rwX', project.root]).status, 0);
    const built = buildCommand();
    assert.equal(built.status, 0, built.stderr);
    published = await snapshotFolder(path.join(project.root, '_site'));
  });
  after(() => project.remove());

  const unreadable: Array<[string, string]> = [
    ['a page', 'content/bio.md'],
    ['the portrait', 'content/assets/portrait.jpg'],
    ['a file of content/assets/ (copied by Eleventy)', 'content/assets/notes.pdf'],
    ['a layout', 'layouts/base.njk'],
  ];
  for (const [what, file] of unreadable) {
    it(`${what} it may not read (EACCES)`, async (t) => {
      if (cannotSwitchUser) return t.skip('setpriv is needed to build as another user than root');
      const shown = file.replaceAll('.', '\\.').replaceAll('/', '\\/');
      await withMode(file, 0o000, async () => {
        await assertFailure(buildCommand(), new RegExp(`^Build failed: cannot read ${shown}: permission denied\\. Let the user who runs the build read it \\(its owner can run \`chmod a\\+r ${shown}\`\\)$`));
      });
    });
  }

  it('a project folder it may not write in (EACCES on its staging folder)', async (t) => {
    if (cannotSwitchUser) return t.skip('setpriv is needed to build as another user than root');
    await withMode('.', 0o555, async () => {
      await assertFailure(buildCommand(), /^Build failed: cannot write the project folder \(\/.+\): permission denied\. Run the build as a user allowed to write there, such as its owner$/);
    });
  });

  it('no content/index.md: the home page is named, not the staging folder', async (t) => {
    if (cannotSwitchUser) return t.skip('setpriv is needed to build as another user than root');
    const page = await project.read('content/index.md');
    await rm(path.join(project.root, 'content/index.md'));
    try {
      await assertFailure(buildCommand(), /^Build failed: content\/index\.md: this file is missing: the site's home page \(\/index\.html, the About page\) is made from it; create it$/);
    } finally {
      await project.write('content/index.md', page);
    }
  });

  const variables: Array<[Record<string, string>, RegExp]> = [
    [{ SITE_URL: 'javascript:alert(1)//' }, /^Build failed: SITE_URL is "javascript:alert\(1\)\/\/": it must be a full http:\/\/ or https:\/\/ address/],
    [{ SITE_URL: 'ftp://x.org/' }, /^Build failed: SITE_URL is "ftp:\/\/x\.org\/": it must be a full http:\/\/ or https:\/\/ address/],
    [{ PATH_PREFIX: '/../' }, /^Build failed: PATH_PREFIX is "\/\.\.\/": it must be the path the site is published under, such as \/homepage\//],
    [{ PATH_PREFIX: '/my site/' }, /^Build failed: PATH_PREFIX is "\/my site\/"/],
    [{ SITE_URL: 'https://name.github.io/', PATH_PREFIX: '/homepage/' }, /^Build failed: SITE_URL https:\/\/name\.github\.io\/ does not end with PATH_PREFIX \/homepage\/, under which the pages are published: .* such as https:\/\/name\.github\.io\/homepage\/$/],
  ];
  for (const [environment, message] of variables) {
    it(`an environment variable as site.yaml would refuse it: ${JSON.stringify(environment)}`, async (t) => {
      if (cannotSwitchUser) return t.skip('setpriv is needed to build as another user than root');
      await assertFailure(buildCommand(environment), message);
    });
  }
});

describe('writing a file whole or not at all (the cache, the CV PDF)', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'atomic-write-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('a write the disk refuses (ENOSPC) leaves no temporary file, and the build names the file in one line', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('/dev/full (a device every write to fails with ENOSPC) is needed');
    const file = path.join(folder, '.cache', 'value.json');
    await mkdir(path.dirname(file));
    // The temporary file the write goes through, made a link to /dev/full: written as on a full disk.
    await symlink('/dev/full', `${file}.${process.pid}.tmp`);
    let failure: unknown;
    assert.throws(() => {
      try {
        writeFileAtomically(file, '{}\n');
      } catch (error) {
        failure = error;
        throw error;
      }
    }, (error: NodeJS.ErrnoException) => error.code === 'ENOSPC' && error.path === file);
    assert.deepEqual(await readdir(path.dirname(file)), [], 'no temporary file is left');
    assert.ok(existsSync('/dev/full'), 'only the link was removed');
    assert.equal(environmentError(failure, folder, path.join(folder, '_site'))?.message, 'the disk is full (writing .cache/value.json): free some space and build again');
  });

  it('a write that cannot be put in place leaves no temporary file, and what was there as it was', async () => {
    const file = path.join(folder, 'taken');
    await mkdir(file);
    await writeFile(path.join(file, 'inside.txt'), 'kept\n');
    assert.throws(() => writeFileAtomically(file, 'new\n'));
    assert.deepEqual((await readdir(folder)).filter((name) => name.startsWith('taken')), ['taken']);
    assert.equal(await readFile(path.join(file, 'inside.txt'), 'utf8'), 'kept\n');
  });
});

describe('no page or asset is written over another file of the site', () => {
  let project: TestProject;
  let published: Map<string, string>;
  let portraitImage: string;
  before(async () => {
    project = await createTestProject();
    await project.build();
    published = await snapshotFolder(path.join(project.root, '_site'));
    const images = await readdir(path.join(project.root, '_site/assets/img'));
    portraitImage = images.find((name) => name.endsWith('-160.avif')) ?? '';
    assert.notEqual(portraitImage, '', `the portrait has a 160 px AVIF image among ${images.join(', ')}`);
  });
  after(() => project.remove());

  async function expectClash(files: Record<string, string>, message: () => RegExp): Promise<void> {
    try {
      for (const [file, text] of Object.entries(files)) await project.write(file, text);
      await assert.rejects(project.build(), (error: unknown) => {
        assert.ok(error instanceof SiteInputError, `expected our error, got ${String(error)}`);
        assert.match(error.message.split('\n')[0] ?? '', message());
        return true;
      });
      assert.deepEqual(await snapshotFolder(path.join(project.root, '_site')), published, 'the published site is as it was');
    } finally {
      for (const file of Object.keys(files)) await rm(path.join(project.root, file));
    }
  }

  it('a page whose permalink is the address of a file of content/assets/', async () => {
    await expectClash(
      { 'content/talks.md': '---\ntitle: Talks\npermalink: /assets/portrait.jpg\n---\nMy talks.\n' },
      () => /^content\/talks\.md:3 \(permalink\): this page would be written at \/assets\/portrait\.jpg, where content\/assets\/portrait\.jpg is published, and one would replace the other: give it another permalink$/,
    );
  });

  it('a page whose permalink is the address of an image made from the portrait', async () => {
    await expectClash(
      { 'content/slides.md': `---\ntitle: Slides\npermalink: /assets/img/${portraitImage}\n---\nMy talks.\n` },
      () => new RegExp(`^content/slides\\.md:3 \\(permalink\\): this page would be written at /assets/img/${portraitImage}, where the portrait image made from content/assets/portrait\\.jpg is published, and one would replace the other: give it another permalink$`),
    );
  });

  it('a file of content/assets/img/ named as an image made from the portrait', async () => {
    await expectClash(
      { [`content/assets/img/${portraitImage}`]: 'not the portrait\n' },
      () => new RegExp(`^content/assets/img/${portraitImage}: the portrait image made from content/assets/portrait\\.jpg is written at this address \\(/assets/img/${portraitImage}\\), and would replace this file: give it another name$`),
    );
  });
});
