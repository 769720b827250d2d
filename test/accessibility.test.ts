import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, launchChromium } from './helpers/browser.ts';
import { builtExample, builtPageUrls, type TestProject } from './helpers/project.ts';
import { serveFolder, type StaticServer } from '../src/static-server.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const skip = browserUnavailable();

interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
}

describe('every page, as visitors and assistive technology meet it', { skip }, () => {
  let project: TestProject;
  let server: StaticServer;
  let browser: Browser;
  let urls: string[];

  before(async () => {
    project = await builtExample();
    const site = path.join(project.root, '_site');
    urls = await builtPageUrls(site);
    server = await serveFolder(site);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await project?.remove();
  });

  async function withPage<T>(options: Parameters<Browser['newContext']>[0], work: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext(options);
    try {
      return await work(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  it('has no axe-core violations of WCAG 2.1 A and AA, in light and in dark', async () => {
    assert.ok(urls.length >= 23);
    const found: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      await withPage({ colorScheme, viewport: { width: 1280, height: 800 } }, async (page) => {
        for (const url of urls) {
          await page.goto(server.origin + url);
          await page.addScriptTag({ content: AXE_SOURCE });
          const result = await page.evaluate(async (tags) => {
            const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResult> } }).axe;
            return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          }, WCAG_TAGS);
          for (const violation of result.violations) {
            found.push(`${url} (${colorScheme}): ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
          }
        }
      });
    }
    assert.deepEqual(found, []);
  });

  it('at 360 px: no sideways scrolling, text at least 16 px, tap targets at least 24 px and apart', async () => {
    const found: string[] = [];
    await withPage({ viewport: { width: 360, height: 740 } }, async (page) => {
      for (const url of urls) {
        await page.goto(server.origin + url);
        const problems = await page.evaluate(() => {
          const issues: string[] = [];
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth) issues.push(`scrolls sideways by ${root.scrollWidth - root.clientWidth}px`);
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const small = new Set<string>();
          for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
            const element = node.parentElement;
            if (element === null || (node.textContent ?? '').trim() === '') continue;
            if (element.closest('.visually-hidden, annotation, math') || !element.checkVisibility({ visibilityProperty: true })) continue;
            const style = getComputedStyle(element);
            const size = parseFloat(style.fontSize);
            if (size < 16) small.add(`${element.tagName.toLowerCase()}.${element.className} ${size}px "${(node.textContent ?? '').trim().slice(0, 30)}"`);
          }
          issues.push(...[...small].map((s) => `small text: ${s}`));
          // Targets outside running text (inline links in sentences are exempt under WCAG 2.5.8).
          const targets = [...document.querySelectorAll('nav a, .pub__links a, button, summary, .skip-link')]
            .filter((el) => el.checkVisibility({ visibilityProperty: true }) && el.getBoundingClientRect().width > 0 && !el.matches('.skip-link:not(:focus)'));
          const boxes = targets.map((el) => ({ el, box: el.getBoundingClientRect() }));
          for (const { el, box } of boxes) {
            if (box.width < 24 || box.height < 24) issues.push(`small target ${el.textContent?.trim()} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
          }
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i]!.box;
              const b = boxes[j]!.box;
              const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
              if (overlap) issues.push(`overlapping targets ${boxes[i]!.el.textContent?.trim()} / ${boxes[j]!.el.textContent?.trim()}`);
            }
          }
          return issues;
        });
        found.push(...problems.map((problem) => `${url}: ${problem}`));
      }
    });
    assert.deepEqual(found, []);
  });

  it('at 1280 px: lines of text stay readable (at most about 80 characters)', async () => {
    await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
      for (const url of urls) {
        await page.goto(server.origin + url);
        const widest = await page.evaluate(() => {
          let max = 0;
          for (const p of document.querySelectorAll('main p, main li')) {
            const style = getComputedStyle(p);
            const ems = p.getBoundingClientRect().width / parseFloat(style.fontSize);
            max = Math.max(max, ems);
          }
          return max;
        });
        assert.ok(widest <= 40, `${url}: a text block is ${widest.toFixed(1)}em wide (about ${(widest * 2).toFixed(0)} characters)`);
      }
    });
  });

  it('keyboard: a skip link first, then every link and button by Tab, each with a visible focus ring', async () => {
    await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
      for (const url of urls) {
        await page.goto(server.origin + url);
        const focusable = await page.evaluate(() => [...document.querySelectorAll('a[href], button, summary')].filter((el) => el.checkVisibility({ visibilityProperty: true })).length);
        const seen: string[] = [];
        for (let step = 0; step < focusable + 2; step++) {
          await page.keyboard.press('Tab');
          const focus = await page.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            if (el === null || el === document.body) return null;
            const style = getComputedStyle(el);
            const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
            return { id: `${el.tagName} ${el.getAttribute('href') ?? ''} ${el.textContent?.trim().slice(0, 40)}`, ring, skip: el.classList.contains('skip-link') };
          });
          if (focus === null) break;
          if (step === 0) assert.ok(focus.skip, `${url}: the first Tab reaches the skip link`);
          assert.ok(focus.ring, `${url}: ${focus.id} shows a focus ring`);
          if (seen.includes(focus.id) && seen[0] === focus.id) break;
          seen.push(focus.id);
        }
        assert.ok(new Set(seen).size >= focusable - 1, `${url}: Tab reached ${new Set(seen).size} of ${focusable} links and buttons`);
        await page.goto(server.origin + url);
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `${url}: the skip link moves focus to the main content`);
      }
    });
  });

  it('works without JavaScript: the same content and links, the copy buttons aside', async () => {
    for (const url of urls) {
      const snapshot = async (javaScriptEnabled: boolean): Promise<{ text: string; links: string[] }> =>
        withPage({ javaScriptEnabled }, async (page) => {
          await page.goto(server.origin + url);
          // The e-mail address is spelled out without the script and a mailto: link with it: compare around it.
          return page.evaluate(() => {
            for (const email of document.querySelectorAll('[data-email]')) if (email.tagName !== 'A') email.textContent = '(e-mail)';
            return {
              text: (document.querySelector('main')?.textContent ?? '').replace(/Copy BibTeX/g, '').replace(/\s+/g, ' ').trim(),
              links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '').filter((href) => !href.startsWith('mailto:') && href !== '/contact/#email'),
            };
          });
        });
      const [withScript, withoutScript] = [await snapshot(true), await snapshot(false)];
      assert.deepEqual(withoutScript, withScript, url);
    }
  });

  it('prints well: no navigation, prose link addresses shown, buttons, BibTeX and links to the screen\'s other formats left out but a publication\'s DOI written out (the CV\'s too), no dark backgrounds even in dark mode', async () => {
    await withPage({ colorScheme: 'dark' }, async (page) => {
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      for (const url of urls) {
        await page.goto(server.origin + url);
        const result = await page.evaluate(() => {
          const nav = document.querySelector('nav[aria-label="Main"]');
          // A link in the owner's prose prints its address; of a publication's link buttons, the DOI prints its address, the others nothing.
          const external = document.querySelector('main a[href^="http"]:not(.pub a, .publication a)');
          // Shown: itself and every box around it (the CV's compact lists once hid the DOIs' whole line).
          const buttons = [...document.querySelectorAll('main .pub__links a')].map((button) => ({ href: button.getAttribute('href') ?? '', shown: button.checkVisibility(), after: getComputedStyle(button, '::after').content }));
          // (No named helper functions here: the test runner's transpiler would wrap them in a helper the page lacks.)
          const dark = [...document.querySelectorAll('body, body *')].filter((el) => {
            const background = getComputedStyle(el).backgroundColor;
            if (/rgba\(0, 0, 0, 0\)|transparent/.test(background)) return false;
            const [r = 0, g = 0, b = 0] = (background.match(/\d+(\.\d+)?/g) ?? []).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.8;
          });
          return {
            navHidden: nav === null || getComputedStyle(nav).display === 'none',
            after: external === null ? null : getComputedStyle(external, '::after').content,
            href: external?.getAttribute('href') ?? null,
            buttons,
            shown: [...document.querySelectorAll('.pub__more, .publication__back, .publication #bibtex, .publication__bibtex, .screen-only')].filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.className),
            dark: dark.map((el) => el.tagName.toLowerCase() + '.' + el.className),
          };
        });
        assert.ok(result.navHidden, `${url}: navigation hidden in print`);
        if (result.href !== null) assert.ok(result.after?.includes(result.href), `${url}: printed links show their address (${result.after})`);
        assert.deepEqual(result.dark, [], `${url}: dark backgrounds in print`);
        for (const button of result.buttons) {
          if (button.href.startsWith('https://doi.org/')) assert.ok(button.shown && button.after.includes(button.href), `${url}: a DOI prints its address (${button.after})`);
          else assert.equal(button.shown, false, `${url}: the link button to ${button.href} is left out of print`);
        }
        assert.deepEqual(result.shown, [], `${url}: closed abstracts, BibTeX and back links are left out of print`);
      }
    });
  });
});
