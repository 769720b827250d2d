import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { mf2 } from 'microformats-parser';
import { escapeText, foldLine } from '../src/contact/vcard.ts';
import { SiteDataError } from '../src/errors.ts';
import { isValidOrcid } from '../src/site/schema.ts';
import { loadSite } from '../src/site/load-site.ts';
import { browserUnavailable, launchChromium } from './helpers/browser.ts';
import { builtExample, createTestProject, text, type TestProject } from './helpers/project.ts';
import { readPdf } from './helpers/pdf.ts';
import { serveFolder } from '../src/static-server.ts';

const EMAIL = 'anastassios.nanos@example.org';
const [LOCAL = '', DOMAIN = ''] = EMAIL.split('@');

/** The address in the forms harvesters look for. */
function harvestableForms(email: string): string[] {
  const entities = (value: string, hex: boolean): string => [...value].map((c) => (hex ? `&#x${c.codePointAt(0)?.toString(16)};` : `&#${c.codePointAt(0)};`)).join('');
  const forms = [email, email.toUpperCase(), encodeURIComponent(email), email.replace('@', '%40'), entities(email, false), entities(email, true), email.replace('@', '&#64;'), email.replace('@', '&commat;')];
  for (const at of [' at ', ' [at] ', '[at]', '(at)', ' (at) ', '{at}', ' AT ', '＠', '&#64;', '%40']) forms.push(`${LOCAL}${at}${DOMAIN}`);
  return forms;
}

async function everyBuiltFile(site: string): Promise<Array<{ file: string; text: string }>> {
  const files = (await readdir(site, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const bytes = await readFile(file);
      const content = file.endsWith('.pdf') ? (await readPdf(bytes)).text : bytes.toString('utf8');
      return { file: path.relative(site, file), text: content };
    }),
  );
}

describe('the e-mail address', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('appears nowhere in the built site in a harvestable form, even where the owner wrote it in Markdown', async () => {
    const project = await createTestProject();
    projects.push(project);
    const contact = await project.read('content/contact.md');
    await project.write('content/contact.md', `${contact}\nWrite to ${EMAIL} or [send me a message](mailto:${EMAIL}?subject=Hello), or <${EMAIL}>, or <a href="mailto:${EMAIL}">here</a>.\n`);
    await project.build();
    const files = await everyBuiltFile(path.join(project.root, '_site'));
    assert.ok(files.some((f) => f.file === 'contact.vcf') && files.some((f) => f.file === 'cv.pdf') && files.some((f) => f.file === 'cv.json'));
    for (const { file, text: content } of files) {
      for (const form of harvestableForms(EMAIL)) assert.ok(!content.toLowerCase().includes(form.toLowerCase()), `${file} contains "${form}"`);
    }
    const page = await project.page('contact/index.html');
    assert.equal(page.querySelectorAll('a[href^="mailto:"]').length, 0);
    assert.equal(page.querySelectorAll('a[href="/contact/#email"]').length, 3, 'mailto: links point to the spelled-out address instead');
    assert.equal(page.querySelectorAll('a.email-link[data-email]').length, 2, 'Markdown mailto: links become mailto: links again with the script');
  });

  it('the downloads carry it when the owner says so', async () => {
    const project = await createTestProject();
    projects.push(project);
    await project.write('content/_data/site.yaml', (await project.read('content/_data/site.yaml')).replace('email_in_downloads: false', 'email_in_downloads: true'));
    await project.build();
    assert.match(await project.read('_site/contact.vcf'), new RegExp(`\r\nEMAIL;TYPE=work:${EMAIL.replace('.', '\\.')}\r\n`));
    assert.ok((await readPdf(await readFile(path.join(project.root, '_site/cv.pdf')))).text.includes(EMAIL));
    assert.ok(!(await project.read('_site/contact/index.html')).includes(EMAIL), 'the pages still never show it as is');
  });
});

let example: TestProject;
before(async () => {
  example = await builtExample();
});
after(async () => example.remove());

describe('contact details and identity', () => {
  it('the contact page is an h-card with name, photo, phone, Skype, address, organisation and profiles', async () => {
    const html = await example.read('_site/contact/index.html');
    const parsed = mf2(html, { baseUrl: 'https://example.org/' });
    const card = parsed.items.find((item) => item.type?.includes('h-card'));
    assert.ok(card, 'an h-card');
    const props = card.properties;
    assert.deepEqual(props['name'], ['Anastassios Nanos']);
    assert.deepEqual(props['job-title'], ['Researcher']);
    assert.deepEqual(props['org'], ['OnApp Limited']);
    assert.deepEqual(props['tel'], ['+44-7428318494']);
    assert.deepEqual(props['impp'], ['skype:tassos.nanos?chat']);
    assert.match(JSON.stringify(props['photo']), /assets\/img\/.*\.jpeg/);
    assert.match(JSON.stringify(props['adr']), /West one peak 501/);
    const urls = props['url'] as string[];
    for (const url of ['https://github.com/ananos', 'https://bitbucket.org/ananos/', 'http://old.ananos.co.uk/']) assert.ok(urls.includes(url), url);
  });

  it('profile links carry an inline icon hidden from screen readers, and their name as text', async () => {
    const page = await example.page('contact/index.html');
    const links = page.querySelectorAll('ul.profiles a');
    assert.deepEqual(links.map((a) => text(a)), ['GitHub', 'Bitbucket', 'Old homepage']);
    for (const link of links) {
      const svg = link.querySelector('svg');
      assert.equal(svg?.getAttribute('aria-hidden'), 'true');
      assert.equal(svg?.getAttribute('focusable'), 'false');
      assert.equal(link.getAttribute('rel'), 'me');
    }
    assert.match(links[0]?.querySelector('path')?.getAttribute('d') ?? '', /^M12 \.297c/, 'the GitHub mark from simple-icons');
    assert.notEqual(links[2]?.querySelector('path')?.getAttribute('d'), links[0]?.querySelector('path')?.getAttribute('d'), 'a generic icon for a plain homepage');
  });

  it('the home page has schema.org Person JSON-LD, without the e-mail', async () => {
    const page = await example.page('index.html');
    const blocks = page.querySelectorAll('script[type="application/ld+json"]').map((s) => JSON.parse(s.textContent) as Record<string, unknown>);
    const person = blocks.find((block) => block['@type'] === 'Person');
    assert.ok(person);
    assert.equal(person['name'], 'Anastassios Nanos');
    assert.equal(person['jobTitle'], 'Researcher');
    assert.deepEqual(person['affiliation'], { '@type': 'Organization', name: 'OnApp Limited' });
    assert.equal(person['telephone'], '+44-7428318494');
    assert.deepEqual(person['sameAs'], ['https://github.com/ananos', 'https://bitbucket.org/ananos/', 'http://old.ananos.co.uk/']);
    assert.match(String(person['image']), /\.jpeg$/);
    assert.match(JSON.stringify(person['address']), /West one peak 501/);
    assert.equal(person['email'], undefined);
  });

  it('every page has Open Graph and Twitter card metadata', async () => {
    const files = (await readdir(path.join(example.root, '_site'), { recursive: true })).filter((f) => f.endsWith('.html'));
    for (const file of files) {
      const page = await example.page(file);
      for (const property of ['og:title', 'og:description', 'og:type', 'og:site_name']) {
        assert.ok(page.querySelector(`meta[property="${property}"]`)?.getAttribute('content'), `${file}: ${property}`);
      }
      assert.equal(page.querySelector('meta[name="twitter:card"]')?.getAttribute('content'), 'summary', file);
    }
  });

  it('/contact.vcf is a vCard 4.0 that parses back to the site data', async () => {
    const vcf = await example.read('_site/contact.vcf');
    for (const line of vcf.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    assert.ok(!/[^\r]\n/.test(vcf), 'CRLF line ends');
    const [, properties] = ICAL.parse(vcf) as [string, Array<[string, Record<string, string>, string, ...unknown[]]>];
    const value = (name: string): unknown[] => properties.filter((p) => p[0] === name).map((p) => (p.length > 4 ? p.slice(3) : p[3]));
    assert.deepEqual(value('version'), ['4.0']);
    assert.deepEqual(value('fn'), ['Anastassios Nanos']);
    assert.deepEqual(value('n'), [['Nanos', 'Anastassios', '', '', '']]);
    assert.deepEqual(value('org'), ['OnApp Limited']);
    assert.deepEqual(value('title'), ['Researcher']);
    assert.deepEqual(value('tel'), ['tel:+447428318494']);
    assert.deepEqual(value('impp'), ['skype:tassos.nanos']);
    assert.deepEqual(value('adr'), [['', '', 'West one peak 501, 15 Cavendish st., S3 7SR Sheffield, UK', '', '', '', '']]);
    assert.deepEqual(value('url'), ['https://github.com/ananos', 'https://bitbucket.org/ananos/', 'http://old.ananos.co.uk/']);
    assert.deepEqual(value('email'), [], 'no e-mail by default');
  });

  it('vCard text is escaped and long lines are folded without splitting a character', () => {
    assert.equal(escapeText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    assert.equal(escapeText('a\r\nb\rc'), 'a\\nb\\nc', 'a carriage return alone ends a line too: it may not start a property of its own');
    const long = `NOTE:${'Αναστάσιος '.repeat(10)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75);
    assert.equal(folded.split('\r\n ').join(''), long);
  });
});

describe('with the site address known (SITE_URL)', () => {
  it('canonical links, og:url and og:image are absolute, and the vCard links the photo', async () => {
    const project = await createTestProject();
    try {
      process.env['SITE_URL'] = 'https://ananos.example.org';
      await project.build();
      const page = await project.page('publications/index.html');
      assert.equal(page.querySelector('link[rel="canonical"]')?.getAttribute('href'), 'https://ananos.example.org/publications/');
      assert.equal(page.querySelector('meta[property="og:url"]')?.getAttribute('content'), 'https://ananos.example.org/publications/');
      assert.match(page.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? '', /^https:\/\/ananos\.example\.org\/assets\/img\/.+-480\.jpeg$/);
      assert.match(await project.read('_site/contact.vcf'), /\r\nPHOTO:https:\/\/ananos\.example\.org\/assets\/img\/.+-480\.jpeg\r\n/);
    } finally {
      delete process.env['SITE_URL'];
      await project.remove();
    }
  });
});

describe('profile URLs are checked at build time', () => {
  it('an unknown scheme, javascript: and a malformed ORCID are errors naming the file and key', async () => {
    const project = await createTestProject();
    try {
      const site = await project.read('content/_data/site.yaml');
      await project.write(
        'content/_data/site.yaml',
        site
          .replace('url: https://github.com/ananos', 'url: javascript:alert(1)')
          .replace('url: https://bitbucket.org/ananos/', 'url: ftp://bitbucket.org/ananos/')
          .replace('  - label: Old homepage', '  - label: ORCID\n    url: https://orcid.org/0000-0002-1825-0098\n  - label: Old homepage'),
      );
      await assert.rejects(loadSite(project.root, 'content/_data/site.yaml'), (error: unknown) => {
        assert.ok(error instanceof SiteDataError);
        const found = error.problems.map((p) => `${p.file} ${p.key}: ${p.message}`);
        assert.deepEqual(found.map((f) => f.replace(/: .*/, '')), [
          'content/_data/site.yaml profiles[0].url',
          'content/_data/site.yaml profiles[1].url',
          'content/_data/site.yaml profiles[2].url',
        ]);
        assert.match(found[2] ?? '', /is not a valid ORCID iD/);
        return true;
      });
    } finally {
      await project.remove();
    }
  });

  it('ORCID iDs are checked with their check digit', () => {
    assert.ok(isValidOrcid('0000-0002-1825-0097'));
    assert.ok(isValidOrcid('0000-0002-9079-593X'));
    assert.ok(!isValidOrcid('0000-0002-1825-0098'));
    assert.ok(!isValidOrcid('0000-0002-1825'));
  });
});

const skip = browserUnavailable();
describe('the e-mail link in Chromium', { skip }, () => {
  it('with JavaScript a real mailto: link, reachable by keyboard; without it the spelled-out address', async () => {
    const server = await serveFolder(path.join(example.root, '_site'));
    const browser = await launchChromium();
    try {
      const withScript = await (await browser.newContext()).newPage();
      await withScript.goto(`${server.origin}/contact/`);
      const link = withScript.locator('#email a');
      assert.equal(await link.getAttribute('href'), `mailto:${EMAIL}`);
      assert.equal(await link.innerText(), EMAIL);
      await link.focus();
      assert.equal(await withScript.evaluate(() => document.activeElement?.getAttribute('href')), `mailto:${EMAIL}`);
      assert.equal(await withScript.getByRole('link', { name: EMAIL }).count(), 1, 'a screen reader announces the address as a link');

      const withoutScript = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await withoutScript.goto(`${server.origin}/contact/`);
      assert.equal(await withoutScript.locator('#email').innerText(), 'anastassios [dot] nanos [at] example [dot] org');
      assert.equal(await withoutScript.locator('a[href^="mailto:"]').count(), 0);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
