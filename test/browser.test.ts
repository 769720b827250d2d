import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchChromium } from './helpers/browser.ts';
import { builtExample, repoRoot, type TestProject } from './helpers/project.ts';
import { serveFolder, type StaticServer } from './helpers/static-server.ts';

const PAGES = ['/', '/research/', '/bio/', '/publications/', '/contact/'];
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

  before(async () => {
    project = await builtExample();
    server = await serveFolder(path.join(project.root, '_site'));
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
    console.log(`Screenshots: ${SCREENSHOTS}`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await project?.remove();
  });

  for (const url of PAGES) {
    it(`renders ${url} at 360 and 1280 px, light and dark, with no console error and no failed request`, async () => {
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
          const name = `${url === '/' ? 'home' : url.replaceAll('/', '')}-${viewport.width}-${colorScheme}.png`;
          await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
          await context.close();
          assert.deepEqual(problems, [], `${url} at ${viewport.width}px, ${colorScheme}`);
        }
      }
    });
  }
});
