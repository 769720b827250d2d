import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { builtExample, repoRoot, type TestProject } from './helpers/project.ts';

const run = promisify(execFile);
const KB = 1024;

let project: TestProject;
let site: string;
before(async () => {
  project = await builtExample();
  site = path.join(project.root, '_site');
});
after(async () => project.remove());

async function gzipped(file: string): Promise<number> {
  return gzipSync(await readFile(path.join(site, file)), { level: 9 }).length;
}

async function htmlFiles(): Promise<string[]> {
  const entries = await readdir(site, { recursive: true });
  return entries.filter((file) => file.endsWith('.html')).sort();
}

/** The page plus the stylesheet and script it loads: what a first visit downloads, images aside. */
async function pageWeight(page: string): Promise<number> {
  const html = await readFile(path.join(site, page), 'utf8');
  const assets = [...html.matchAll(/<(?:link rel="stylesheet" href|script type="module" src)="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  let total = await gzipped(page);
  for (const asset of assets) total += await gzipped(asset);
  return total;
}

describe('page weight budgets (gzip)', () => {
  it('home page: HTML + CSS + JS at most 15 KB; with the largest portrait at most 45 KB', async () => {
    const weight = await pageWeight('index.html');
    const html = await readFile(path.join(site, 'index.html'), 'utf8');
    const portraits = [...html.matchAll(/\/assets\/img\/[^"\s,]+/g)].map((m) => m[0]);
    const largest = Math.max(...(await Promise.all(portraits.map(async (url) => (await stat(path.join(site, url))).size))));
    console.log(`home: ${(weight / KB).toFixed(1)} KB, with portrait ${((weight + largest) / KB).toFixed(1)} KB`);
    assert.ok(weight <= 15 * KB, `home page is ${(weight / KB).toFixed(1)} KB`);
    assert.ok(weight + largest <= 45 * KB, `home page with portrait is ${((weight + largest) / KB).toFixed(1)} KB`);
  });

  it('publications page: at most 30 KB', async () => {
    const weight = await pageWeight('publications/index.html');
    console.log(`publications: ${(weight / KB).toFixed(1)} KB`);
    assert.ok(weight <= 30 * KB, `publications page is ${(weight / KB).toFixed(1)} KB`);
  });

  it('the one script is a module under 2 KB, and no page has an inline script', async () => {
    assert.ok((await gzipped('assets/site.js')) < 2 * KB);
    for (const file of await htmlFiles()) {
      const html = await readFile(path.join(site, file), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
      for (const attributes of scripts) {
        assert.ok(/type="application\/ld\+json"/.test(attributes) || /type="module" src="\/assets\/site\.js"/.test(attributes), `${file}: <script${attributes}>`);
      }
      assert.doesNotMatch(html, /\son[a-z]+="/i, `${file} has an inline event handler`);
      assert.doesNotMatch(html, /style="/, `${file} has an inline style`);
    }
  });

  it('images come in AVIF and WebP with a JPEG fallback, with their size set, lazy below the fold', async () => {
    const contact = await readFile(path.join(site, 'contact/index.html'), 'utf8');
    const home = await readFile(path.join(site, 'index.html'), 'utf8');
    for (const html of [home, contact]) {
      assert.match(html, /<source type="image\/avif" srcset="[^"]+160w[^"]+320w[^"]+480w"/);
      assert.match(html, /<source type="image\/webp"/);
      assert.match(html, /<img (class="[^"]+" )?src="\/assets\/img\/[^"]+\.jpeg" srcset="[^"]+" sizes="160px" width="160" height="160"/);
    }
    assert.doesNotMatch(home.match(/<img [^>]*portrait|<picture[\s\S]*?<\/picture>/)?.[0] ?? '', /loading="lazy"/, 'the home portrait is above the fold');
    assert.match(contact, /<picture[\s\S]*?loading="lazy"[\s\S]*?<\/picture>/, 'the contact photo loads lazily');
  });
});

describe('valid HTML', () => {
  it('the Nu Html Checker finds no errors or warnings on any built page', async () => {
    const jar = path.join(repoRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
    const { stdout, stderr } = await run('java', ['-jar', jar, '--format', 'json', '--skip-non-html', site], { maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    const report = JSON.parse(stdout || stderr) as { messages: Array<{ type: string; url: string; lastLine?: number; message: string }> };
    const problems = report.messages.map((m) => `${m.type} ${path.relative(site, m.url.replace(/^file:/, ''))}:${m.lastLine ?? '?'} ${m.message}`);
    assert.deepEqual(problems, []);
    assert.equal((await htmlFiles()).length, 25, 'the checker read all 25 pages (24 and the 404 page)');
  });
});
