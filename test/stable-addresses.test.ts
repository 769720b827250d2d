import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'node-html-parser';
import { assignSlugs } from '../src/bibliography/slug.ts';
import { buildWithSiteUrl, createTestProject, repoRoot, text, type TestProject } from './helpers/project.ts';

// A publication's address (its page, its .bib file, its Atom id, its sitemap entry) is indexed by
// search engines with the paper it showed: adding or removing other entries may take it away from
// its entry (a 404), but must never give it to another entry. And a key is no id of its page.

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bibtex');
const shortHash = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 6);

/** Every subset of `keys`, as arrays. */
function subsets(keys: readonly string[]): string[][] {
  return keys.reduce<string[][]>((all, key) => [...all, ...all.map((subset) => [...subset, key])], [[]]);
}

describe('a key\'s slug', () => {
  it('is its plain slug while no other key wants that slug', () => {
    const slugs = assignSlugs(['smith:2020', 'Jones2019', 'DBLP:conf/x/Y', 'plain-key']);
    assert.deepEqual(Object.fromEntries(slugs), { 'smith:2020': 'smith-2020', Jones2019: 'jones2019', 'DBLP:conf/x/Y': 'dblp-conf-x-y', 'plain-key': 'plain-key' });
  });

  it('when slugs clash, is the slug with 6 hex digits of the SHA-256 of the exact key, whatever the other keys are', () => {
    const two = assignSlugs(['smith:2020', 'smith/2020']);
    assert.deepEqual(Object.fromEntries(two), { 'smith:2020': 'smith-2020-fae187', 'smith/2020': 'smith-2020-71a9e4' });
    const three = assignSlugs(['smith/2020', 'smith.2020', 'smith:2020']);
    assert.deepEqual(Object.fromEntries(three), { 'smith:2020': 'smith-2020-fae187', 'smith/2020': 'smith-2020-71a9e4', 'smith.2020': `smith-2020-${shortHash('smith.2020')}` });
  });

  it('is not taken over by a key that is its own slug: the address gives 404 instead', () => {
    assert.equal(assignSlugs(['smith:2020']).get('smith:2020'), 'smith-2020');
    const both = assignSlugs(['smith:2020', 'smith-2020']);
    assert.deepEqual([...both.values()].sort(), [`smith-2020-${shortHash('smith-2020')}`, 'smith-2020-fae187']);
  });

  it('never moves to another key when keys are added or removed', () => {
    // Keys that clash every way: plain slugs, keys with no ASCII at all ("entry"), a key shaped
    // like another's hashed slug, keys that differ in case only.
    const pool = ['smith:2020', 'smith/2020', 'smith.2020', 'smith-2020', `smith-2020-${shortHash('smith:2020')}`, 'Smith:2020', 'Ωμέγα', 'Δέλτα', 'entry'];
    const all = subsets(pool);
    for (const keys of all) {
      const slugs = assignSlugs(keys);
      assert.equal(new Set(slugs.values()).size, keys.length, `unique for ${keys.join(' ')}`);
      const owner = new Map([...slugs].map(([key, slug]) => [slug, key]));
      for (const added of pool.filter((key) => !keys.includes(key))) {
        const withAdded = assignSlugs([...keys, added]);
        for (const [key, slug] of withAdded) {
          const before = owner.get(slug);
          assert.ok(before === undefined || before === key, `${slug} was ${before}'s, and is ${key}'s once ${added} is added to ${keys.join(' ')}`);
        }
      }
    }
  });

  it('is lower case and URL-safe, and does not depend on the order of the keys', () => {
    const keys = ['a b', 'a-b', 'A B', 'Ünïcode:2020/a', 'unicode-2020-a', '論文'];
    const slugs = assignSlugs(keys);
    for (const slug of slugs.values()) assert.match(slug, /^[a-z0-9_-]+$/);
    assert.equal(new Set([...slugs.values()]).size, keys.length, 'two keys that differ in case only still get two files');
    assert.deepEqual([...assignSlugs([...keys].reverse())].sort(), [...slugs].sort());
  });

  it('cannot be made only for a key built to hold other keys\' hashes, and that is said', () => {
    const full = createHash('sha256').update('x').digest('hex');
    assert.throws(() => assignSlugs(['x', 'X', `x-${full.slice(0, 6)}`, `x-${full}`]), /^Error: the key "x" can be given no address of its own: "X", "x-[0-9a-f]{6}", "x-[0-9a-f]{64}" want every one it could have; rename it$/);
  });
});

describe('a site whose keys clash with addresses and ids', () => {
  let project: TestProject;
  /** The key each publication page of the built site shows, by its address. */
  const pagesByAddress = async (): Promise<Map<string, string>> => {
    const folder = path.join(project.root, '_site', 'publications');
    const pages = (await readdir(folder, { recursive: true })).map(String).filter((file) => file.endsWith(`${path.sep}index.html`));
    const keys = new Map<string, string>();
    for (const page of pages) {
      const html = parse(await readFile(path.join(folder, page), 'utf8'));
      keys.set(`/publications/${path.dirname(page)}/`, html.querySelector('article.publication')?.getAttribute('data-key') ?? '');
    }
    return keys;
  };
  const first = path.join(fixtures, 'keys that clash with addresses and ids.bib');
  const added = path.join(fixtures, 'keys that clash with addresses and ids, added to.bib');
  let firstBuild: Map<string, string>;
  // With the site's address, so that the sitemap and the feed are written too.
  const build = (): Promise<void> => buildWithSiteUrl(project);

  before(async () => {
    project = await createTestProject();
    await project.write('publications.bib', await readFile(first, 'utf8'));
    await build();
    firstBuild = await pagesByAddress();
  });
  after(async () => project?.remove());

  it('gives no id twice on any page, and lists each entry under pub- and its slug', async () => {
    const site = path.join(project.root, '_site');
    const pages = (await readdir(site, { recursive: true })).map(String).filter((file) => file.endsWith('.html'));
    assert.ok(pages.length > 10);
    for (const page of pages) {
      const ids = parse(await readFile(path.join(site, page), 'utf8')).querySelectorAll('[id]').map((element) => element.id);
      assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], `${page} repeats no id`);
    }
    const list = await project.page('publications/index.html');
    assert.equal(list.querySelector('li[data-key="main"]')?.id, 'pub-main');
    assert.equal(list.querySelector('li[data-key="theses"]')?.id, 'pub-theses');
    assert.equal(list.querySelector('#main')?.tagName, 'MAIN');
    assert.equal(text(list.querySelector('#theses')), 'Theses (1)');
  });

  it('links each publication page back to its own entry in the list', async () => {
    const list = await project.page('publications/index.html');
    for (const [address, key] of firstBuild) {
      const page = await project.page(`${address.slice(1)}index.html`);
      const back = page.querySelector('.publication__back a')?.getAttribute('href') ?? '';
      assert.match(back, /^\/publications\/#pub-/);
      assert.equal(list.getElementById(back.slice('/publications/#'.length))?.getAttribute('data-key'), key, `${address} links back to ${key}`);
    }
  });

  it('keeps every address with its entry, or gives 404, when entries whose keys clash are added', async () => {
    assert.equal(firstBuild.get('/publications/smith-2020-fae187/'), 'smith:2020');
    assert.equal(firstBuild.get('/publications/smith-2020-71a9e4/'), 'smith/2020');
    assert.equal(firstBuild.get('/publications/jones-2019/'), 'jones:2019');
    assert.equal(firstBuild.get('/publications/main/'), 'main');

    await project.write('publications.bib', `${await readFile(first, 'utf8')}\n${await readFile(added, 'utf8')}`);
    await build();
    const secondBuild = await pagesByAddress();
    for (const [address, key] of secondBuild) {
      const before = firstBuild.get(address);
      assert.ok(before === undefined || before === key, `${address} showed ${before}, and shows ${key} once entries are added`);
    }
    assert.equal(secondBuild.get('/publications/smith-2020-fae187/'), 'smith:2020');
    assert.equal(secondBuild.get('/publications/smith-2020-71a9e4/'), 'smith/2020');
    // jones-2019 arrives: "jones:2019" loses its plain slug, which its newcomer does not take either.
    assert.equal(secondBuild.get(`/publications/jones-2019-${shortHash('jones:2019')}/`), 'jones:2019');
    assert.equal(secondBuild.get(`/publications/jones-2019-${shortHash('jones-2019')}/`), 'jones-2019');
    assert.equal(secondBuild.get('/publications/jones-2019/'), undefined);
    assert.ok(!existsSync(path.join(project.root, '_site', 'publications', 'jones-2019.bib')), 'nor its .bib file');
    for (const file of ['sitemap.xml', 'publications.xml']) {
      const listed = await project.read(`_site/${file}`);
      assert.ok(listed.includes(`/publications/jones-2019-${shortHash('jones:2019')}/`), `${file} has the new address`);
      assert.ok(!/\/publications\/jones-2019\/[<"]/.test(listed), `${file} has not the old one`);
    }
  });
});
