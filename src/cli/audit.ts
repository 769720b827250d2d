import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { serveFolder } from '../static-server.ts';

/**
 * Runs Lighthouse (mobile emulation) with Debian's Chromium against every page
 * of the built site, served on loopback, and prints the four category scores.
 * Scores vary with machine load, so this is a report, not a test.
 */
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const site = path.resolve(process.argv[2] ?? '_site');
const chromePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const pages = (await readdir(site, { recursive: true }))
  .filter((file) => file.endsWith('index.html'))
  .map((file) => `/${file.replace(/index\.html$/, '').split(path.sep).join('/')}`)
  .sort();
const server = await serveFolder(site);
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  console.log(`| page | ${CATEGORIES.join(' | ')} |`);
  console.log(`|---|${CATEGORIES.map(() => '---').join('|')}|`);
  for (const page of pages) {
    const result = await lighthouse(server.origin + page, { port: chrome.port, logLevel: 'error', onlyCategories: [...CATEGORIES] });
    const scores = CATEGORIES.map((category) => Math.round((result?.lhr.categories[category]?.score ?? 0) * 100));
    if (scores.some((score) => score < 100)) failed = true;
    console.log(`| ${page} | ${scores.join(' | ')} |`);
  }
} finally {
  chrome.kill();
  await server.close();
}
if (failed) console.log('\nSome scores are below 100; run `npx lighthouse <url> --view` on a page to see why.');
