import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HTMLElement } from 'node-html-parser';
import { builtExample, text, type TestProject } from './helpers/project.ts';

let project: TestProject;
before(async () => {
  project = await builtExample();
});
after(async () => project.remove());

const PAGES = {
  '/': 'index.html',
  '/research/': 'research/index.html',
  '/bio/': 'bio/index.html',
  '/publications/': 'publications/index.html',
  '/contact/': 'contact/index.html',
} as const;

async function page(url: keyof typeof PAGES): Promise<HTMLElement> {
  return project.page(PAGES[url]);
}

describe('the example site', () => {
  it('builds the five pages of the seed homepage, each with one h1, a language and landmarks', async () => {
    for (const url of Object.keys(PAGES) as Array<keyof typeof PAGES>) {
      const html = await page(url);
      assert.equal(html.querySelector('html')?.getAttribute('lang'), 'en', url);
      assert.equal(html.querySelectorAll('h1').length, 1, `${url} has one h1`);
      for (const landmark of ['header', 'nav', 'main', 'footer']) assert.ok(html.querySelector(landmark), `${url} has <${landmark}>`);
      assert.ok(text(html.querySelector('title')).includes('Anastassios Nanos'), `${url} title names the owner`);
      assert.ok(html.querySelector('meta[name="description"]')?.getAttribute('content'), `${url} has a description`);
    }
  });

  it('marks the current page in the navigation, in the order of the site data', async () => {
    for (const url of Object.keys(PAGES) as Array<keyof typeof PAGES>) {
      const nav = (await page(url)).querySelector('nav[aria-label="Main"]');
      const links = nav?.querySelectorAll('a') ?? [];
      assert.deepEqual(links.map((link) => text(link).replace(/ \(updated .*\)$/, '')), ['About', 'Research', 'Bio', 'Publications', 'Contact', 'CV']);
      const current = links.filter((link) => link.getAttribute('aria-current') === 'page');
      assert.deepEqual(current.map((link) => link.getAttribute('href')), [url]);
    }
    // A publication's page is in the Publications section, and /cv/ is the CV the navigation links to as a PDF.
    const inSection = async (file: string): Promise<string[]> => (await project.page(file)).querySelectorAll('nav[aria-label="Main"] a[aria-current="true"]').map((link) => link.getAttribute('href') ?? '');
    assert.deepEqual(await inSection('publications/nanos2014xen2mx/index.html'), ['/publications/']);
    assert.deepEqual(await inSection('cv/index.html'), ['/cv.pdf']);
    assert.deepEqual(await inSection('research/index.html'), []);
  });

  it('links the DOI that the "Cite" text of a publication\'s page writes out, its closing full stop left out', async () => {
    const doi = (await project.page('publications/koukis2008synchronized/index.html')).querySelector('.publication__citation a');
    assert.equal(doi?.getAttribute('href'), 'https://doi.org/10.1109/IPDPS.2008.4536142');
    assert.equal(doi?.textContent, 'https://doi.org/10.1109/IPDPS.2008.4536142');
  });

  it('has every internal link and asset resolve to a built file', async () => {
    for (const url of Object.keys(PAGES) as Array<keyof typeof PAGES>) {
      const html = await page(url);
      const refs = [
        ...html.querySelectorAll('a[href]').map((a) => a.getAttribute('href') ?? ''),
        ...html.querySelectorAll('link[href]').map((link) => link.getAttribute('href') ?? ''),
        ...html.querySelectorAll('img[src]').map((img) => img.getAttribute('src') ?? ''),
        ...html.querySelectorAll('[srcset]').flatMap((el) => (el.getAttribute('srcset') ?? '').split(',').map((s) => s.trim().split(' ')[0] ?? '')),
      ].filter((ref) => ref.startsWith('/') || ref.startsWith('#'));
      for (const ref of refs) {
        const [pathname = '', fragment] = ref.startsWith('#') ? [url, ref.slice(1)] : ref.split('#');
        const file = path.join(project.root, '_site', decodeURIComponent(pathname), pathname.endsWith('/') ? 'index.html' : '');
        assert.ok(existsSync(file), `${url} links to ${ref}, which was not built`);
        if (fragment !== undefined && fragment !== '') {
          const target = pathname === url ? html : await project.page(path.relative(path.join(project.root, '_site'), file));
          assert.ok(target.getElementById(fragment), `${url} links to ${ref}, but no element has id "${fragment}"`);
        }
      }
    }
  });

  it('About me: who he is, his interests, and links to research, bio, GitHub, Bitbucket and the old homepage', async () => {
    const html = await page('/');
    const main = text(html.querySelector('main'));
    assert.match(main, /My name is Anastassios Nanos/);
    assert.match(main, /hypervisors, microservers/);
    assert.match(main, /Post-doctoral research fellow at the Computing Systems Laboratory/);
    assert.match(main, /Professor Nectarios Koziris/);
    assert.match(main, /Computer Systems, High-performance Interconnects, I\/O virtualization, Scalable storage systems/);
    const hrefs = html.querySelectorAll('main a').map((a) => a.getAttribute('href'));
    for (const href of ['/research/', '/bio/', 'https://github.com/ananos', 'https://bitbucket.org/ananos/', 'http://old.ananos.co.uk/']) {
      assert.ok(hrefs.includes(href), `About me links to ${href}`);
    }
    assert.ok(html.querySelector('main picture img[alt]'), 'the portrait is on the home page');
  });

  it('Research: the introduction, V4VSockets, Xen2MX with its code, and the work in progress on MyriXen', async () => {
    const html = await page('/research/');
    const headings = html.querySelectorAll('main h2, main h3').map((h) => text(h));
    assert.deepEqual(headings.slice(0, 4), ['V4VSockets', 'Xen2MX', 'WiP', 'MyriXen']);
    for (const heading of html.querySelectorAll('main h2, main h3')) assert.ok(heading.id, `"${text(heading)}" has an anchor`);
    const main = text(html.querySelector('main'));
    assert.match(main, /In the HPC context, applications often scale/);
    assert.match(main, /Virtualization-enabled High performance Network Interface/);
    assert.ok(html.querySelectorAll('main a').some((a) => a.getAttribute('href') === 'https://github.com/ananos/xen2mx'));
  });

  it('Bio: the CV download, interests, education, publications, posters/presentations, awards and memberships', async () => {
    const html = await page('/bio/');
    const headings = html.querySelectorAll('main h2').map((h) => text(h));
    assert.deepEqual(headings, ['Research interests', 'Positions', 'Education', 'Publications', 'Posters/Presentations', 'Awards', 'Member']);
    assert.match(text(html.querySelector('.cv-download')), /^Grab a copy of my CV/);
    const main = text(html.querySelector('main'));
    assert.match(main, /Efficient I\/O Device Sharing in Virtualized Environments/);
    assert.match(main, /Example entry: replace/, 'awards and memberships are marked as examples');
    assert.equal(html.querySelectorAll('#publications + ol > li').length, 11);
    assert.equal(html.querySelectorAll('#posters-presentations + ol > li').length, 7);
  });

  it('Contact: the e-mail spelled out for people, phone, Skype, postal address and a picture', async () => {
    const html = await page('/contact/');
    const raw = await project.read('_site/contact/index.html');
    assert.ok(!raw.includes('anastassios.nanos@example.org'), 'the address never appears verbatim');
    assert.equal(text(html.querySelector('.email')), 'anastassios [dot] nanos [at] example [dot] org');
    assert.equal(html.querySelector('a[href^="tel:"]')?.getAttribute('href'), 'tel:+447428318494');
    assert.equal(html.querySelector('a[href^="skype:"]')?.getAttribute('href'), 'skype:tassos.nanos?chat');
    assert.match(text(html.querySelector('address')), /West one peak 501 15 Cavendish st\. S3 7SR Sheffield UK/);
    const img = html.querySelector('main picture img');
    assert.ok(img?.getAttribute('alt'), 'the picture has alt text');
    assert.ok(img?.getAttribute('width') && img.getAttribute('height'), 'the picture has its size set');
    const types = html.querySelectorAll('main picture source').map((source) => source.getAttribute('type'));
    assert.deepEqual(types, ['image/avif', 'image/webp']);
  });

  it('compiles the styles into one stylesheet with light, dark and print rules', async () => {
    const css = await project.read('_site/assets/site.css');
    assert.match(css, /prefers-color-scheme:\s*dark/);
    assert.match(css, /@media print/);
    assert.ok(!/@import|https?:\/\//.test(css), 'the stylesheet loads nothing from elsewhere');
  });

});
