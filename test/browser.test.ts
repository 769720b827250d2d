import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchChromium } from './helpers/browser.ts';
import { builtExample, builtPageUrls, createTestProject, repoRoot, type TestProject } from './helpers/project.ts';
import { serveFolder, type StaticServer } from '../src/static-server.ts';

const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'laptop', width: 1280, height: 800 },
];
const SCHEMES = ['light', 'dark'] as const;
const SCREENSHOTS = path.join(repoRoot, 'test-output', 'screenshots');

const skip = browserUnavailable();

describe('the example site in Chromium', { skip }, () => {
  let project: TestProject;
  let server: StaticServer;
  let browser: Browser;
  let pages: string[] = [];

  before(async () => {
    project = await builtExample();
    const site = path.join(project.root, '_site');
    pages = await builtPageUrls(site);
    // The policy the README recommends: any inline script or style, or any other origin, is a console error.
    server = await serveFolder(site, { headers: { 'content-security-policy': "default-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'" } });
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
    console.log(`Screenshots: ${SCREENSHOTS}`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await project?.remove();
  });

  it('copies a BibTeX entry with the copy button, a progressive enhancement', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(`${server.origin}/publications/koukis2010gmblock/`);
    await page.getByRole('button', { name: 'Copy BibTeX' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^@article\{koukis2010gmblock,\n  author  = \{Koukis, Evangelos/);
    await context.close();
  });

  it('shows BibTeX and abstracts without JavaScript, and no copy button', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/publications/`);
    assert.equal(await page.getByRole('button', { name: 'Copy BibTeX' }).count(), 0);
    const summary = page.locator('li[data-key="koukis2010gmblock"] details.pub__bibtex summary');
    await summary.click();
    assert.match(await page.locator('li[data-key="koukis2010gmblock"] details.pub__bibtex pre').innerText(), /^@article\{koukis2010gmblock,/);
    await context.close();
  });

  it('keeps the footer at the bottom of a window taller than the page, and after the page when it is longer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const footerEdges = async (): Promise<{ top: number; bottom: number; mainBottom: number; height: number }> =>
      page.evaluate(() => {
        const footer = document.querySelector('footer')!.getBoundingClientRect();
        return { top: footer.top + scrollY, bottom: footer.bottom + scrollY, mainBottom: document.querySelector('main')!.getBoundingClientRect().bottom + scrollY, height: innerHeight };
      });
    await page.goto(`${server.origin}/404.html`);
    const short = await footerEdges();
    assert.equal(Math.round(short.bottom), short.height, 'the 404 page is short: its footer ends where the window does');
    await page.goto(`${server.origin}/publications/`);
    const long = await footerEdges();
    assert.ok(long.bottom > long.height && Math.round(long.top) === Math.round(long.mainBottom), 'a long page: the footer follows its content');
    await page.close();
  });

  it('on a 360 px phone, a wrapped BibTeX line goes on indented, and a page range is not split at its dash', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${server.origin}/publications/mytilinis2015io/`);
    const lefts = await page.evaluate(() => {
      // The line boxes of the author field, which is too long for one line at this width.
      const text = document.querySelector('pre.publication__bibtex code')!.firstChild!;
      const start = text.textContent!.indexOf('  author');
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, text.textContent!.indexOf('\n', start));
      // A line's text may come in several boxes (its leading spaces, a space where it wraps): its left is the leftmost.
      const lines = new Map<number, number>();
      for (const rect of range.getClientRects()) lines.set(Math.round(rect.top), Math.min(rect.left, lines.get(Math.round(rect.top)) ?? Infinity));
      return [...lines.values()];
    });
    assert.ok(lefts.length >= 2, `the field wraps at 360 px (${lefts.length} line)`);
    const [first = 0, ...wrapped] = lefts;
    for (const left of wrapped) assert.ok(left - first >= 30, `a wrapped line starts ${left - first}px right of its field's line`);
    const ranges = await page.locator('.pub__venue .nowrap').evaluateAll((spans) => spans.map((span) => [span.textContent, span.getClientRects().length]));
    assert.deepEqual(ranges, [['201–206', 1]]);
    await page.close();
  });

  it('renders every page at 360 and 1280 px, light and dark, under a strict CSP, with no console error, failed or third-party request', async () => {
    assert.ok(pages.length >= 23, `found ${pages.length} pages`);
    for (const url of pages) {
      for (const viewport of VIEWPORTS) {
        for (const colorScheme of SCHEMES) {
          const context = await browser.newContext({ viewport, colorScheme });
          const page = await context.newPage();
          const problems: string[] = [];
          page.on('console', (message) => {
            if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
          });
          page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
          page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
          page.on('response', (response) => {
            if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
          });
          page.on('request', (request) => {
            if (!request.url().startsWith(server.origin)) problems.push(`request to another origin: ${request.url()}`);
          });

          await page.goto(server.origin + url, { waitUntil: 'load' });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `${url} scrolls sideways by ${overflow}px at ${viewport.width}px`);
          const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
          assert.match(styled, /system-ui/, `${url} has the site's stylesheet applied`);
          const name = `${url === '/' ? 'home' : url.slice(1, -1).replaceAll('/', '-')}-${viewport.width}-${colorScheme}.png`;
          await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
          await context.close();
          assert.deepEqual(problems, [], `${url} at ${viewport.width}px, ${colorScheme}`);
        }
      }
    }
  });
});

describe('hard content on a 360 px phone', { skip }, () => {
  let project: TestProject;
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    project = await createTestProject();
    const research = await project.read('content/research.md');
    const columns = Array.from({ length: 12 }, (_, index) => `Measurement ${index + 1}`);
    const table = `\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n| ${columns.map((_, index) => `${index * 1000} µs`).join(' | ')} |\n\nAfter the table.\n`;
    await project.write('content/research.md', research + table);
    const bibliography = await project.read('publications.bib');
    const cv = await project.read('content/_data/cv.yaml');
    await project.write('content/_data/cv.yaml', cv
      .replace('    detail: Who gave it and why, in one line.', '    detail: Announced at https://awards.acm.org/award_winners/nanos_1234567#2023fellowsannouncementpage')
      .replace(/^teaching: \[\].*$/m, 'teaching:\n  - { course: Operating Systems, role: teaching assistant, institution: National Technical University of Athens, date: "Fall 2008, 2009, 2010 and 2012" }'));
    await project.write('publications.bib', `${bibliography}\n@article{arabic2019,\n  author = {الحسن, علي and Nanos, Anastassios},\n  title = {خوارزميات التوزيع},\n  journal = {مجلة علوم الحاسوب},\n  year = {2019}\n}\n`);
    await project.build();
    server = await serveFolder(path.join(project.root, '_site'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await project?.remove();
  });

  it('a wide Markdown table scrolls in its own box, which the keyboard reaches; the page does not scroll sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${server.origin}/research/`);
    const sizes = await page.evaluate(() => {
      const box = document.querySelector('.table-scroll');
      return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, box: box === null ? null : box.scrollWidth - box.clientWidth, tabindex: box?.getAttribute('tabindex') };
    });
    assert.equal(sizes.page, 0, 'the page does not scroll sideways');
    assert.ok((sizes.box ?? 0) > 0, 'the table scrolls in its box');
    assert.equal(sizes.tabindex, '0');
    await page.close();
  });

  it('the CV: an address with nothing to break at does not widen the page, and a date written at length wraps in its column, clear of its entry', async () => {
    for (const width of [360, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 740 } });
      await page.goto(`${server.origin}/cv/`);
      const found = await page.evaluate(() => {
        const teaching = document.querySelector('#teaching + .cv-list li')!;
        const when = teaching.querySelector('.cv-list__when')!.getBoundingClientRect();
        const what = teaching.querySelector('.cv-list__what')!.getBoundingClientRect();
        const overlap = Math.min(when.right, what.right) > Math.max(when.left, what.left) && Math.min(when.bottom, what.bottom) > Math.max(when.top, what.top);
        return { sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth, overlap };
      });
      assert.deepEqual(found, { sideways: 0, overlap: false }, `at ${width}px`);
      await page.close();
    }
  });

  it('right-to-left titles, venues and names are isolated, so that the text around them stays in order', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${server.origin}/publications/arabic2019/`);
    const found = await page.evaluate(() => ({
      title: getComputedStyle(document.querySelector('h1') as Element).direction,
      venue: document.querySelector('.pub__venue cite')?.getAttribute('dir'),
      name: document.querySelector('.pub__authors bdi')?.textContent,
    }));
    assert.deepEqual(found, { title: 'rtl', venue: 'auto', name: 'علي الحسن' });
    await page.close();
  });
});
