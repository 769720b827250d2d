import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { toCslItem } from '../src/bibliography/csl.ts';
import { formatItems } from '../src/bibliography/csl-format.ts';
import { loadBibliography } from '../src/bibliography/load-bibliography.ts';
import { displayName } from '../src/bibliography/names.ts';
import { ownerMatcher } from '../src/bibliography/owner.ts';
import { readBibtex, type ReadResult } from '../src/bibliography/read-bibtex.ts';
import { splitEntrySource } from '../src/bibliography/bibtex-source.ts';
import { scanEntryStarts } from '../src/bibliography/scan-entries.ts';
import { assignSlugs } from '../src/bibliography/slug.ts';
import { withChemistry } from '../src/bibliography/chemistry.ts';
import { isbnsIn, issnsIn } from '../src/bibliography/standard-numbers.ts';
import type { Publication } from '../src/bibliography/types.ts';
import { creditLine, publicationSummary, toPublicationView, type PublicationView } from '../src/view/publication-list.ts';
import { scholarMetadata } from '../src/view/scholar.ts';
import { publicationsFeed } from '../src/site-files.ts';
import { BibliographyError } from '../src/errors.ts';
import { DiskCache } from '../src/cache.ts';
import { cvVenueLine } from '../src/cv/pdf-glyphs.ts';
import { bibtexFixtures, entryOf, readBibtexFixture } from './helpers/bibtex.ts';
import { exampleRoot } from './helpers/project.ts';

const fixtures = bibtexFixtures;
const read = readBibtexFixture;
const entry = entryOf;

const messages = (problems: ReadResult['warnings']): string[] => problems.map((p) => `${p.file}:${p.line} (${p.key}): ${p.message}`);

describe('LaTeX becomes Unicode text and safe HTML', () => {
  it('every accent form, in NFC (one code point per accented letter)', async () => {
    const result = await read('latex accents and commands.bib');
    const names = entry(result, 'accents').authors.map(displayName);
    assert.deepEqual(names, ['Johan Håstad', 'José Martínez', 'Jörg Müller', 'Renée François', 'Antonín Dvořák', 'Carl Gauß', 'Søren Sørensen']);
    for (const name of names) assert.equal(name, name.normalize('NFC'));
    assert.equal([...'Martínez'].length, [...(names[1]?.split(' ')[1] ?? '')].length, 'í is one code point');
  });

  it('dashes, no-break spaces and escaped specials', async () => {
    const title = entry(await read('latex accents and commands.bib'), 'accents').title;
    assert.equal(title.text, 'Über naïve Wärme – pages 3–5 — a\u00a0b & 50% of $5');
    assert.equal(title.html, 'Über naïve Wärme – pages 3–5 — a\u00a0b &amp; 50% of $5');
    assert.equal(entry(await read('latex accents and commands.bib'), 'accents').venue?.text, 'J. TeX Users');
  });

  it('\\emph, \\textit, \\textbf, \\textsc and {\\em ...} as HTML markup', async () => {
    const title = entry(await read('latex accents and commands.bib'), 'markup').title;
    assert.equal(title.html, 'An <i>emphasised</i> word, <i>italic</i>, <b>bold</b>, <span class="smallcaps">Small Caps</span> and <i>old-style</i> emphasis');
    assert.equal(title.text, 'An emphasised word, italic, bold, Small Caps and old-style emphasis');
  });

  it('\\underline keeps its word without a combining line before it, and {\\bf ...} is bold without a warning', async () => {
    const title = entry(await read('latex accents and commands.bib'), 'underline-and-switches').title;
    assert.equal(title.text, 'An underlined word, a bold switch and u');
    assert.equal(title.html, 'An underlined word, a <b>bold</b> switch and u');
  });

  it('HTML from exports (IEEE\'s tags and entities, Crossref\'s &amp;, JATS paragraphs) reads as a browser shows it', async () => {
    const result = await read('html in exports.bib');
    assert.deepEqual(messages(result.warnings), []);
    const ieee = entry(result, 'ieee-markup');
    assert.equal(ieee.title.text, 'Growth of H2O Films on n-Type Si and the “Quantum” Limit', 'no space where a tag was inside a word');
    assert.equal(ieee.abstract?.text, 'Lasers at 1.55-μm, 3×3 arrays, 5% loss and $5 parts.');
    assert.equal(entry(result, 'ieee-formula-layout').title.text, 'Fast k-Means With O(n log n) Updates for k-Coverage', 'the spaces IEEE lays a formula out with, and puts after one before a hyphen, are no part of the title');
    assert.deepEqual(['ieee-formula-unclosed', 'ieee-formula-after-unclosed'].map((key) => entry(result, key).title.text), ['Bounds for k Truncated', 'Fast k-Medoids'], 'a formula left unclosed spoils no other entry');
    const crossref = entry(result, 'crossref-amp');
    assert.equal(crossref.venue?.text, 'Proceedings of the 27th ACM SIGKDD Conference on Knowledge Discovery & Data Mining');
    assert.equal(crossref.venue?.html, 'Proceedings of the 27th ACM SIGKDD Conference on Knowledge Discovery &amp; Data Mining');
    assert.equal(crossref.abstract?.text, 'First paragraph. Second paragraph.', 'a paragraph\'s end parts words');
    assert.equal(entry(result, 'acm-escaped-amp').publisher, 'Association for Computing Machinery and Morgan & Claypool');
    assert.match((await apa([crossref]))[0] ?? '', /Knowledge Discovery &#38; Data Mining\.$/, 'CSL gets the character, escaped once');
    // Where the characters are not text: a "..." value, math, an address, a list read as written, a key.
    const elsewhere = entry(result, 'entities-where-they-are-not-text');
    assert.equal(elsewhere.title.text, 'A "quoted" word in a quoted value, and O(n2) math');
    assert.match(elsewhere.title.html, /<math[^>]*>.*<\/math><\/span> math$/, 'a tag inside math leaves it typeset');
    assert.match(elsewhere.note?.html ?? '', /<a href="https:\/\/example\.org\/\?a=1&amp;b=2">the data<\/a>/);
    assert.deepEqual([...elsewhere.keywords].sort(), ['50% loss', 'Research & development']);
    assert.equal(entry(result, 'AT&amp;T2020').title.text, 'A Key with an Entity', 'a key is read as written');
  });

  it('an unknown command shows its argument, with one warning naming the key, however often the entry uses it', async () => {
    const result = await read('latex accents and commands.bib');
    assert.equal(entry(result, 'unknown').title.text, 'A strange command');
    assert.equal(entry(result, 'tie-accent').title.text, 'Kak t\u0361sarstvo i o\u0361o', 'the tie accent joins its two letters');
    assert.deepEqual(messages(result.warnings), ['latex accents and commands.bib:14 (unknown): unknown LaTeX command \\frobnicate: left out, its argument shown as text']);
  });

  it('a command the parser knows takes an argument, but not how to show it, keeps its argument: \\textsl is italics', async () => {
    const result = await readBibtex('@misc{a, title = {A \\textsl{slanted} Word, \\textsl{Q\\&A} and \\mbox{kept}}, year = 2020}\n', { file: 'slanted.bib' });
    const [publication] = result.publications;
    assert.deepEqual([publication?.title.html, publication?.title.text], ['A <i>slanted</i> Word, <i>Q&amp;A</i> and kept', 'A slanted Word, Q&A and kept'], 'the words were lost');
    assert.deepEqual(messages(result.warnings).filter((message) => message.includes('textsl')), [], '\\textsl is known now');
  });

  it('keeps protected capitals as written and never re-cases titles', async () => {
    const caps = entry(await read('protected capitals.bib'), 'caps');
    assert.equal(caps.title.text, 'Xen2MX: towards HPC in the Cloud with LODESTAR');
    assert.equal(caps.venue?.text, 'Proc. of the ACM Workshop');
  });

  it('renders inline math as Unicode at build time', async () => {
    const math = entry(await read('inline math.bib'), 'math').title;
    assert.equal(math.text, 'A 10× speed-up in O(n²) time for α-stable CO₂ flows');
    assert.equal(math.html, math.text);
  });

  it('typesets math that Unicode cannot show as MathML (KaTeX at build time, no script)', async () => {
    const title = entry(await read('inline math.bib'), 'complex-math').title;
    assert.match(title.html, /^Bounds for <span class="katex"><math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"><semantics><mrow><mfrac><mi>a<\/mi><mi>b<\/mi><\/mfrac>/);
    assert.match(title.html, /<mi>ℝ<\/mi>/, 'a styled letter as Unicode has it (see math.test.ts)');
    // Its text, for the page's title, the meta tags, the CV PDF and CSL, reads as typed rather than as TeX (see math.test.ts).
    assert.equal(title.text, 'Bounds for a/b in ℝⁿ and O(n log n)');
  });

  it('typesets function names, fonts and operators the BibTeX parser does not know, without a warning', async () => {
    const result = await read('inline math.bib');
    assert.deepEqual(messages(result.warnings), [], 'no "unknown LaTeX command \\log"');
    const title = entry(result, 'function-names').title;
    assert.equal(title.text, 'Sorting in O(n log n), maxₓ f(x) and NP-hard x', 'was "O(nn)", "ₓf(x)" and "x"');
    assert.match(title.html, /<mi>log<\/mi>/);
    assert.match(title.html, /<mi>𝖭<\/mi>/);
  });

  it('reads DBLP\'s \\(...\\), display math, scripts Unicode lacks, control spaces and AMS-TeX fonts as a mathematician wrote them', async () => {
    const result = await read('inline math.bib');
    const dblp = entry(result, 'dblp-math');
    assert.equal(dblp.title.text, 'k-Center in O(n log n) Time and max-Cut', 'was "O(nn)" and "-Cut"');
    assert.equal(dblp.venue?.text, 'Proc. Amer. Math. Soc.', 'a control space is a space');
    assert.deepEqual(dblp.authors.map((person) => [displayName(person), person.marks]), [['Ann Smith', '†'], ['Bo Li', '*']], 'an author\'s mark stays a mark');
    const physics = entry(result, 'physics-math');
    assert.equal(physics.title.text, 'H∞ Control of T_c at 5\u00a0μm: O(n^2.373), ∥x∥₂, ℤₚ, f: X→Y and k-SAT', 'was "H ͚", "Tc", "𝜇m", "O(n2.373)", "x₂", "Zₚ", "fX→Y" and "-SAT"');
    assert.match(physics.title.html, /^H<sub>∞<\/sub> Control of <span class="katex">/);
    const zotero = entry(result, 'zotero-typed-math').title;
    assert.equal(zotero.text, 'Constraints on ΛCDM, H₀ and k-SAT from 139 fb⁻¹ of pp data, at a Cost of $5 and $10', 'math typed into Zotero, whose dollars Better BibTeX escapes; prices stay prices');
    assert.match(zotero.html, /and <span class="katex"><math[^>]*><semantics><mrow><mi>k<\/mi>/);
    const linked = (await readBibtex('@misc{linked, title = {Mathy \\$y_b\\$ \\href{https://x.example/$x_a$}{link}}, year = 2020}\n', { file: 'linked.bib' })).publications[0]?.title.html ?? '';
    assert.match(linked, /<a href="https:\/\/x\.example\/\$x_a\$">link<\/a>$/, 'math is typeset in the text, never inside a tag (a link\'s address)');
    assert.match(linked, /^Mathy <span class="katex">/);
    assert.equal(entry(result, 'chemistry').title.text, 'Electrochemical CO₂ Reduction to CH₃OH over [Fe(CN)₆]³⁻, SO₄²⁻ and Li⁺: 2H₂ + O₂ → 2H₂O', 'mhchem\'s \\ce, which the parser does not know');
    assert.equal(withChemistry('\\ce{CuSO4.5H2O}, \\ce{^{13}C}, \\ce{Na+ + Cl- -> NaCl(s)}'), 'CuSO₄·5H₂O, ¹³C, Na⁺ + Cl⁻ → NaCl(s)');
    assert.equal(withChemistry('\\ce{LiNi0.8Co0.1Mn0.1O2}, \\ce{Li_{1.2}Ni_{0.2}O2}, \\ce{CaSO4.0.5H2O}'), 'LiNi₀.₈Co₀.₁Mn₀.₁O₂, Li₁.₂Ni₀.₂O₂, CaSO₄·0.5H₂O', 'a dot between digits is a decimal point');
    assert.equal(withChemistry('\\ce{O^2-(g)}, \\ce{Cu^2+(aq)}, \\ce{Na+(aq)}, \\ce{Li+/Li}'), 'O²⁻(g), Cu²⁺(aq), Na⁺(aq), Li⁺/Li', 'a charge before a state or a slash');
    assert.equal(entry(result, 'siunitx').title.text, 'Jets at 13\u00a0TeV from a μm Detector Moving at 3\u00a0km/s and 9.8\u00a0m·s⁻²', 'siunitx\'s quantities and units (the parser showed "13" and dropped the unit)');
    const marks = entry(result, 'marks-and-escapes');
    assert.deepEqual(marks.authors.map((person) => [displayName(person), person.marks]), [['Ann Smith', '1,2'], ['Bo Li', 'a']], 'math in names is the parser\'s: no typeset placeholder in a name; raised affiliations after it are its marks');
    assert.equal(marks.title.text, 'Lᵖ Bounds, Scholar\'s m_W and E=mc², a Price of US$5 Billion for CO_2 at US$100, and Zotero\'s f₁′', 'a script Unicode has stays Unicode; Scholar\'s escaped script and a price are no math');
    assert.equal((marks.title.html.match(/class="katex"/g) ?? []).length, 2, 'E=mc² and f₁′ only');
    assert.equal(physics.abstract?.text, 'We show that ∑ₙ₌₁^Naₙ≤1. Moreover it holds.', 'display math in an abstract is typeset in the line');
    assert.deepEqual(messages(result.warnings), []);
  });

  it('shows Google Scholar\'s unescaped "$5" and "50%" literally, with a warning', async () => {
    const result = await read('scholar quirks.bib');
    assert.equal(entry(result, 'scholar').title.text, 'Cutting costs by $5 with 50% less energy');
    assert.equal(result.errors.length, 0, 'an @ inside a % comment line is not an entry');
    assert.match(messages(result.warnings)[0] ?? '', /^scholar quirks\.bib:3 \(scholar\): a "\$" without its closing "\$"/);
    // Only the field with the lone "$" has it shown as a dollar sign: the title's math is still math.
    const beside = entry(result, 'scholar-math-beside');
    assert.equal(beside.title.text, 'Stable laws with α index');
    assert.equal(beside.abstract?.text, 'Running it costs $5.');
  });

  it('reduces HTML in fields to its text and never turns unsafe URLs into links', async () => {
    const result = await read('hostile fields.bib');
    const hostile = entry(result, 'hostile');
    assert.equal(hostile.title.html, 'A alert(1) title with k-means');
    assert.equal(hostile.venue?.html, 'Journal');
    assert.equal(displayName(hostile.authors[0] ?? {}), 'Evil Mallory');
    assert.deepEqual(hostile.links, []);
    assert.deepEqual(messages(result.warnings).map((m) => m.replace(/ is not.*/, '')), [
      'hostile fields.bib:1 (hostile): html "file:///etc/passwd"',
      'hostile fields.bib:1 (hostile): code "data:text/html,<script>alert(4)</script>"',
      'hostile fields.bib:1 (hostile): url "javascript:alert(3)"',
    ]);
  });
});

describe('names', () => {
  it('particles, Jr. in both forms, corporate authors, any script, and "and others"', async () => {
    const names = entry(await read('names.bib'), 'names');
    assert.deepEqual(names.authors.map(displayName), [
      'Jan van der Berg',
      'Jean de la Fontaine',
      'John Smith, Jr.',
      'John Doe, Jr',
      'The ACME Team',
      'Ji-woo Kim',
      'Łukasz Kaiser',
      'Γιώργος Παπαδόπουλος',
      '王小明',
      'DL Smith',
    ]);
    assert.equal(names.etAl, true);
    assert.deepEqual(names.authors[0], { family: 'Berg', given: 'Jan', prefix: 'van der' });
  });

  it('drops markup around names (\\textbf, \\underline, {\\bf}, $^*$), so names read right and the owner still matches', async () => {
    const authors = entry(await read('names with markup.bib'), 'marked-names').authors;
    assert.deepEqual(authors.map((a) => [displayName(a), a.marks]), [
      ['Anastassios Nanos', undefined],
      ['Richard Roe', undefined],
      ['Jane Doe', undefined],
      ['Nectarios Koziris', undefined],
      ['Ann Smith', '*'],
      ['Anastassios Nanos', undefined],
      ['Jane Doe', undefined],
      ['Wang Wei', undefined],
    ]);
    const isOwner = ownerMatcher(['Nanos, Anastassios']);
    assert.deepEqual(authors.map((a) => isOwner(a)), [true, false, false, false, false, true, false, false]);
    assert.equal(ownerMatcher(['Wei, Wenjie'])(authors[7] ?? {}), false, 'a name in braces, family name first, is not read as "Given Family"');
  });

  it('keeps al-folio\'s * ∗ † marks apart from the name, so the owner still matches', async () => {
    const markers = entry(await read('names.bib'), 'markers');
    assert.deepEqual(markers.authors.map((a) => [displayName(a), a.marks]), [['Ce Pang', '*'], ['Sourabh Yadav', '∗'], ['Jane Doe', '†'], ['Anastassios Nanos', undefined]]);
    assert.ok(ownerMatcher(['Pang, Ce'])(markers.authors[0] ?? {}));
  });
});

describe('macros, months, crossref and dates', () => {
  it('a @string that uses one defined below it (or in a cycle) warns: BibTeX reads it as empty', async () => {
    const result = await readBibtex('@string{a = b # " x"}\n@string{b = a # " y"}\n@string{c = b # jan}\n@misc{k, title = c, year = 2020}\n', { file: 'strings.bib' });
    assert.deepEqual(messages(result.warnings), ['strings.bib:1 (undefined): the @string a uses b, which no @string above it defines: BibTeX reads b there as empty; define it first']);
  });

  it('@string macros are case-insensitive and concatenate with #', async () => {
    const concat = entry(await read('strings and months.bib'), 'concat');
    assert.equal(concat.venue?.text, 'Proceedings of the Workshop');
    assert.equal(concat.publisher, 'Association for Computing Machinery');
    assert.equal(concat.month, 9);
  });

  it('a year or month that cannot be read warns with what was written, and the entry is listed by what could be read', async () => {
    const result = await read('unreadable dates.bib');
    assert.deepEqual(result.warnings.map((warning) => `${warning.key}: ${warning.message}`), [
      'month-thirteen: month = {13} is not a month, so the date shows the year alone',
      'month-season: month = {Spring} is not a month, so the date shows the year alone',
      'date-impossible: date = {2020-13-45}: 13 is not a month, so the date shows the year alone',
      'year-with-letter: year = {2020a} is not a year: listed under "n.d."; write the year alone, e.g. 2020',
      'day-thirtieth-of-february: day = {30} is not a day of that month, so the date is read without it',
    ]);
    assert.deepEqual(['month-thirteen', 'month-season', 'date-impossible', 'year-with-letter'].map((key) => [entry(result, key).year, entry(result, key).month]), [[2020, undefined], [2020, undefined], [2020, undefined], [undefined, undefined]]);
    assert.deepEqual(['day-thirtieth-of-february', 'day-field'].map((key) => [entry(result, key).month, entry(result, key).day]), [[2, undefined], [9, 7]], 'biblatex\'s day field');
  });

  it('text between entries that reads as fields or as an entry without its "@" warns, at the line to mend: BibTeX skips it', async () => {
    const extra = await read('extra closing brace.bib');
    assert.deepEqual(extra.errors, []);
    assert.deepEqual(messages(extra.warnings).filter((message) => /the extra "\}"/.test(message)), [
      'extra closing brace.bib:10 (extra): this "}" ends the entry before its field journal and those after it, which BibTeX then skips: remove the extra "}"',
    ]);
    const noAt = await read('entry without its at sign.bib');
    assert.deepEqual(noAt.errors, []);
    assert.deepEqual(noAt.publications.map((publication) => publication.key), ['first'], 'what BibTeX skips is not listed');
    assert.deepEqual(messages(noAt.warnings), [
      'entry without its at sign.bib:9 (noat): this looks like an entry without its "@", which BibTeX skips: write @article{noat, to list it, or put it in @comment{...} to say it is left out',
      'entry without its at sign.bib:28 (arxiv-without-at): this looks like an entry without its "@", which BibTeX skips: write @misc{arxiv-without-at, to list it, or put it in @comment{...} to say it is left out',
    ], 'an entry whose "@" line is a comment, and one in @comment, are left out on purpose');
  });

  it('an "and" with no name beside it, and a @string defined twice, warn at their lines', async () => {
    const result = await read('names and macros written twice.bib');
    assert.deepEqual(messages(result.warnings), [
      'names and macros written twice.bib:3 (gap-in-names): author has an "and" with no name on one side; the names may be read wrongly: remove the extra "and"',
      'names and macros written twice.bib:10 (undefined): the @string jss is defined again (first at line 1): the entries below this line get this value, those above it the first; keep one if that was not meant',
    ]);
    assert.deepEqual(['gap-in-names', 'after-second'].map((key) => entry(result, key).venue?.text), ['Journal of Systems and Software', 'J. Syst. Softw.'], 'as BibTeX reads them, in order');
  });

  it('a macro used above its @string warns, at the entry, with the line of the definition', async () => {
    const result = await read('string used before its definition.bib');
    assert.deepEqual(result.warnings.map((warning) => `${warning.line} ${warning.key}: ${warning.message}`), [
      '1 early: journal uses the macro "jss" above the @string that defines it (line 8): BibTeX reads the file in order, so the word "jss" is shown; move the @string above the entries that use it',
    ]);
    assert.equal(entry(result, 'early').venue?.text, 'jss', 'as BibTeX reads it');
    assert.equal(entry(result, 'later').venue?.text, 'Journal of Systems and Software');
  });

  it('a "#" that joins nothing warns and is left out of the BibTeX visitors copy, which BibTeX would refuse', async () => {
    const bib = '@string{proc = {Proceedings of }}\n@inproceedings{dangling,\n  title = {Dangling},\n  booktitle = proc #,\n  note = # {Extra},\n  series = #,\n  year = 2020,\n}\n';
    const result = await readBibtex(bib, { file: 'joins.bib' });
    assert.deepEqual(messages(result.warnings), [
      'joins.bib:2 (dangling): booktitle has a "#" with nothing to join on one side (proc #), which BibTeX reports as an error; the "#" is left out',
      'joins.bib:2 (dangling): note has a "#" with nothing to join on one side (# {Extra}), which BibTeX reports as an error; the "#" is left out',
      'joins.bib:2 (dangling): series has a "#" with nothing to join on one side (#), which BibTeX reports as an error; the "#" is left out',
    ]);
    assert.equal(entry(result, 'dangling').bibtex, '@inproceedings{dangling,\n  title     = {Dangling},\n  booktitle = {Proceedings of },\n  note      = {Extra},\n  year      = 2020,\n}\n');
  });

  it('months in every common spelling; non-standard macros and undefined macros warn', async () => {
    const result = await read('strings and months.bib');
    assert.deepEqual(['month-abbrev', 'month-long', 'month-number', 'month-sept'].map((key) => entry(result, key).month), [9, 6, 11, 9]);
    assert.deepEqual(messages(result.warnings), [
      'strings and months.bib:15 (month-sept): month = sept is not a standard month macro; read as month 9 (write sep)',
      'strings and months.bib:16 (undefined-macro): publisher uses the macro "nowhere", which no @string defines; the word "nowhere" is shown instead',
    ]);
  });

  it('crossref inherits fields; a crossref to a missing key warns', async () => {
    const result = await read('crossref.bib');
    const child = entry(result, 'child');
    assert.deepEqual([child.year, child.publisher, child.venue?.text], [2017, 'ACME', 'Proceedings of the Parent Conference']);
    assert.deepEqual(messages(result.warnings), ['crossref.bib:15 (orphan): crossref "missing" names no entry in the file; nothing is inherited']);
  });

  it('a crossref child\'s BibTeX stands alone: what it inherits is written where its crossref was, under its own names (a @proceedings\' title is its booktitle)', async () => {
    const result = await read('crossref.bib');
    assert.equal(entry(result, 'child').bibtex, [
      '@inproceedings{child,',
      '  author    = {Doe, Jane},',
      '  title     = {Child paper},',
      '  pages     = {1--10},',
      '  booktitle = {Proceedings of the Parent Conference},',
      '  publisher = {ACME},',
      '  year      = {2017},',
      '}',
      '',
    ].join('\n'));
    // A crossref that names nothing would only make BibTeX warn where the entry is pasted.
    assert.equal(entry(result, 'orphan').bibtex, '@inproceedings{orphan,\n  title = {Orphan},\n  year  = {2017},\n}\n');
    // A crossref hidden with hide_fields hides no field the pages show: they are written last.
    const hidden = await readBibtex(await readFile(path.join(fixtures, 'crossref.bib'), 'utf8'), { file: 'crossref.bib', hiddenFields: ['crossref', 'publisher'] });
    assert.equal(entry(hidden, 'child').bibtex, '@inproceedings{child,\n  author    = {Doe, Jane},\n  title     = {Child paper},\n  pages     = {1--10},\n  booktitle = {Proceedings of the Parent Conference},\n  year      = {2017},\n}\n');
  });

  it('DBLP\'s export with crossref: each paper\'s BibTeX takes the editors, series, publisher and ISBN of its volume, read with the parser or without it', async () => {
    const text = await readFile(path.join(fixtures, 'dblp with crossref.bib'), 'utf8');
    const spire = [
      '@inproceedings{DBLP:conf/spire/BastMW06,',
      '  author    = {H. Bast and',
      '               Christian Worm Mortensen and',
      '               Ingmar Weber},',
      '  title     = {Output-Sensitive Autocompletion Search},',
      '  booktitle = {String Processing and Information Retrieval, 13th International Conference,',
      '               {SPIRE} 2006, Glasgow, UK, October 11-13, 2006, Proceedings},',
      '  pages     = {150--162},',
      '  year      = {2006},',
      '  editor    = {Fabio Crestani and',
      '               Paolo Ferragina and',
      '               Mark Sanderson},',
      '  series    = {Lecture Notes in Computer Science},',
      '  volume    = {4209},',
      '  publisher = {Springer},',
      '  isbn      = {3-540-45774-7},',
      '  url       = {https://doi.org/10.1007/11880561\\_13},',
      '  doi       = {10.1007/11880561\\_13},',
      '}',
      '',
    ].join('\n');
    // A crossref in quotes leaves the entries linked to it to the parser (see simple-entries.ts).
    for (const bib of [text, text.replace('crossref     = {DBLP:conf/spire/2006}', 'crossref     = "DBLP:conf/spire/2006"')]) {
      const result = await readBibtex(bib, { file: 'dblp.bib' });
      assert.deepEqual([result.errors, result.warnings], [[], []]);
      assert.equal(entry(result, 'DBLP:conf/spire/BastMW06').bibtex, spire);
      // Its own booktitle (DBLP's older exports: the acronym) is kept; the volume's title is not written twice.
      assert.equal(entry(result, 'DBLP:conf/ijcai/WangCL13').bibtex, [
        '@inproceedings{DBLP:conf/ijcai/WangCL13,',
        '  author    = {Hao Wang and',
        '               Binyi Chen and',
        '               Wu-Jun Li},',
        '  title     = {Collaborative Topic Regression with Social Regularization',
        '               for Tag Recommendation},',
        '  booktitle = {IJCAI},',
        '  year      = {2013},',
        '  ee        = {http://www.aaai.org/ocs/index.php/IJCAI/IJCAI13/paper/view/7006},',
        '  editor    = {Francesca Rossi},',
        '  publisher = {IJCAI/AAAI},',
        '  isbn      = {978-1-57735-633-2},',
        '}',
        '',
      ].join('\n'));
      for (const publication of result.publications) assert.doesNotMatch(publication.bibtex, /crossref/, publication.key);
    }
  });

  it('a chain of crossrefs is written out whole, @string macros and all, in the parent\'s order, with what the pages show', async () => {
    const bib = [
      '@string{pub = {Example Press}}',
      // A field written empty is one to inherit, to BibTeX and to the parser.
      '@incollection{chapter, author = {Doe, Jane}, title = {A Chapter}, crossref = {volume}, pages = {1--10}, year = {}}',
      '@collection{volume, editor = {Roe, Richard}, title = {The Volume}, crossref = {series}}',
      '@mvcollection{series, title = {The Series}, publisher = pub, year = 2001, address = {Berlin}}',
      '',
    ].join('\n');
    const result = await readBibtex(bib, { file: 'chain.bib' });
    assert.deepEqual(result.errors, []);
    const chapter = entry(result, 'chapter');
    // The parser's tables give a collection no address to take (biblatex's is location): neither shows one.
    assert.deepEqual([chapter.venue?.text, chapter.mainTitle, chapter.publisher, chapter.year, chapter.place], ['The Volume', 'The Series', 'Example Press', 2001, undefined], 'as the pages show it');
    assert.equal(chapter.bibtex, [
      '@incollection{chapter,',
      '  author    = {Doe, Jane},',
      '  title     = {A Chapter},',
      '  editor    = {Roe, Richard},',
      '  booktitle = {The Volume},',
      '  maintitle = {The Series},',
      '  publisher = {Example Press},',
      '  year      = 2001,',
      '  pages     = {1--10},',
      '}',
      '',
    ].join('\n'));
  });

  it('a crossref parent (DBLP\'s proceedings volume) is listed only when the owner wrote or edited it', async () => {
    const text = await readFile(path.join(fixtures, 'dblp with crossref.bib'), 'utf8');
    const keys = async (ownerNames?: readonly string[]): Promise<string[]> => (await readBibtex(text, { file: 'dblp.bib', ...(ownerNames === undefined ? {} : { ownerNames }) })).publications.map((publication) => publication.key);
    const papers = ['DBLP:conf/spire/BastMW06', 'DBLP:conf/ijcai/WangCL13', 'child'];
    assert.deepEqual(await keys(['Nanos, Anastassios']), papers, 'the owner\'s paper is; the volumes it and the others are in are not');
    assert.deepEqual(await keys(['Nanos, Anastassios', 'F. Rossi']), [...papers, 'DBLP:conf/ijcai/2013'], 'a volume the owner edited is');
    assert.deepEqual(await keys(), [...papers, 'DBLP:conf/spire/2006', 'DBLP:conf/ijcai/2013', 'DBLP:conf/test/2020'], 'without the owner\'s names, every entry is');
    // An entry no other names as its crossref is listed whoever wrote it: only parents are left out.
    const alone = await readBibtex('@proceedings{alone, editor = {Roe, Richard}, title = {Proceedings of Things}, year = 2020}\n', { file: 'alone.bib', ownerNames: ['Nanos, Anastassios'] });
    assert.deepEqual(alone.publications.map((publication) => publication.key), ['alone']);
    // A crossref written with a @string macro names the parent it stands for.
    const byMacro = await readBibtex('@string{volume = {proc}}\n@inproceedings{paper, author = {Nanos, A.}, title = {A Paper}, crossref = volume}\n@proceedings{proc, editor = {Roe, Richard}, title = {Proceedings of Things}, year = 2020}\n', { file: 'macro.bib', ownerNames: ['Nanos, Anastassios'] });
    assert.deepEqual([byMacro.errors, byMacro.warnings, byMacro.publications.map((publication) => publication.key)], [[], [], ['paper']], 'and is no crossref to nothing');
    assert.match(entry(byMacro, 'paper').bibtex, /booktitle = \{Proceedings of Things\},\n {2}year {6}= 2020,/);
    // loadBibliography passes the names on, and keeps a parse per list of names.
    const folder = await mkdtemp(path.join(tmpdir(), 'crossref-owner-'));
    try {
      await writeFile(path.join(folder, 'publications.bib'), text);
      const cache = new DiskCache(folder);
      for (const [ownerNames, expected] of [[['Nanos, Anastassios'], papers], [['Rossi, Francesca'], [...papers, 'DBLP:conf/ijcai/2013']]] as const) {
        const loaded = await loadBibliography(folder, 'publications.bib', { ownerNames, cache });
        assert.deepEqual(loaded.publications.map((publication) => publication.key), expected);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('biblatex date, no year (n.d., never NaN) and "in press"/"To Appear" (forthcoming)', async () => {
    const result = await read('dates.bib');
    const dates = result.publications.map((p) => [p.key, p.year, p.month, p.day, p.forthcoming]);
    assert.deepEqual(dates, [
      ['biblatex-date', 2016, 5, 3, false],
      ['no-year', undefined, undefined, undefined, false],
      ['in-press', undefined, undefined, undefined, true],
      ['to-appear', undefined, undefined, undefined, true],
      ['plain-year', 2015, undefined, undefined, false],
    ]);
    assert.deepEqual(messages(result.warnings), ['dates.bib:2 (no-year): no year: listed under "n.d."']);
  });
});

describe('DOIs and URLs', () => {
  it('an arXiv preprint with nothing else to say where it is (Zotero\'s @misc with its eprint) is shown on arXiv', async () => {
    const bib = '@misc{zotero-eprint, title = {MRT-SS Calculator}, author = {Seewald, Nicholas J.}, year = 2016, month = sep, eprint = {1609.00695}, archiveprefix = {arXiv}}';
    const [preprint] = (await readBibtex(bib, { file: 'a.bib' })).publications;
    assert.ok(preprint);
    assert.deepEqual([preprint.kind, toPublicationView(preprint, () => false).venue], ['preprint', 'arXiv']);
    assert.match((await apa([preprint]))[0] ?? '', /\(arXiv:1609\.00695\)\. arXiv\. https:\/\/arxiv\.org\/abs\/1609\.00695$/);
  });

  it('the metadata for machines says what each work is, who published it, and every identifier its links give', async () => {
    const bib = [
      '@phdthesis{thesis, title = {A Thesis}, author = {Doe, Jane}, school = {NTUA}, year = 2013}',
      '@incollection{chapter, title = {A Chapter}, author = {Doe, Jane}, booktitle = {A Handbook}, publisher = {Springer}, year = 2017}',
      '@misc{medrxiv, title = {A Preprint}, author = {Doe, Jane}, publisher = {medRxiv}, year = 2025, doi = {10.1101/2025.01.01.123456}}',
      '@article{pubmed, title = {An Article}, author = {Doe, Jane}, journal = {J}, year = 2016, doi = {10.1/x}, pmid = {26799497}, pmcid = {PMC4720000}}',
      '@article{corr, title = {A CoRR Paper}, author = {Doe, Jane}, journal = {CoRR}, volume = {abs/2109.07900}, year = 2021}',
      '@inproceedings{arxiv-only, title = {A Talk Paper}, author = {Doe, Jane}, booktitle = {ICSE}, year = 2026, url = {https://arxiv.org/abs/2512.04702}}',
    ].join('\n');
    const result = await readBibtex(bib, { file: 'm.bib' });
    const metadata = (key: string): { meta: Record<string, string>; jsonLd: Record<string, unknown> } => {
      const { meta, jsonLd } = scholarMetadata(toPublicationView(entry(result, key), () => false), undefined);
      return { meta: Object.fromEntries(meta.map((tag) => [tag.name, tag.content])), jsonLd: JSON.parse(jsonLd) as Record<string, unknown> };
    };
    const thesis = metadata('thesis').jsonLd;
    assert.deepEqual([thesis['@type'], thesis['isPartOf'], thesis['publisher']], ['Thesis', undefined, { '@type': 'Organization', name: 'NTUA' }]);
    assert.equal(metadata('chapter').jsonLd['@type'], 'Chapter');
    const medrxiv = metadata('medrxiv');
    assert.deepEqual([medrxiv.jsonLd['isPartOf'], medrxiv.jsonLd['publisher'], medrxiv.meta['citation_publisher']], [undefined, { '@type': 'Organization', name: 'medRxiv' }, 'medRxiv'], 'a repository publishes, it contains nothing');
    assert.deepEqual(metadata('pubmed').jsonLd['identifier'], ['DOI', 'PMID', 'PMCID'].map((propertyID, index) => ({ '@type': 'PropertyValue', propertyID, value: ['10.1/x', '26799497', 'PMC4720000'][index] })));
    assert.deepEqual([toCslItem(entry(result, 'pubmed'))['PMID'], toCslItem(entry(result, 'pubmed'))['PMCID']], ['26799497', 'PMC4720000']);
    assert.equal(metadata('corr').meta['citation_volume'], undefined, 'DBLP\'s "abs/..." is the arXiv number, no volume');
    const arxivOnly = metadata('arxiv-only').jsonLd;
    assert.deepEqual([arxivOnly['sameAs'], toCslItem(entry(result, 'arxiv-only'))['URL']], ['https://arxiv.org/abs/2512.04702', 'https://arxiv.org/abs/2512.04702']);
  });

  it('an arXiv address in url or doi (DBLP, some journals) is the entry\'s arXiv link, and MDPI\'s PubMedID its PubMed link', async () => {
    const bib = [
      '@article{dblp, title = {A}, author = {Doe, J}, journal = {J. Syst. Softw.}, year = 2026, url = {https://arxiv.org/abs/2503.13310}}',
      '@misc{pdf-in-doi, title = {B}, author = {Doe, J}, year = 2025, doi = {https://arxiv.org/pdf/2512.04702}}',
      '@article{mdpi, title = {C}, author = {Doe, J}, journal = {Sensors}, year = 2021, doi = {10.3390/s21041031}, PubMedID = {33561972}}',
    ].join('\n');
    const result = await readBibtex(bib, { file: 'l.bib' });
    const links = (key: string): string[] => entry(result, key).links.map((link) => `${link.label} ${link.href}`);
    assert.deepEqual(links('dblp'), ['arXiv https://arxiv.org/abs/2503.13310']);
    assert.deepEqual(links('pdf-in-doi'), ['arXiv https://arxiv.org/abs/2512.04702']);
    assert.deepEqual(links('mdpi'), ['DOI https://doi.org/10.3390/s21041031', 'PubMed https://pubmed.ncbi.nlm.nih.gov/33561972/']);
    assert.deepEqual(messages(result.warnings), ['l.bib:2 (pdf-in-doi): doi "https://arxiv.org/pdf/2512.04702" is not a DOI (10.xxxx/...); it is shown as the entry\'s arXiv link']);
  });

  it('DOIs with or without the resolver prefix or LaTeX escapes, URLs with %, ~, & and \\_', async () => {
    const result = await read('dois and urls.bib');
    assert.equal(entry(result, 'doi-plain').doi, '10.1000/xyz_1');
    assert.equal(entry(result, 'doi-prefixed').doi, '10.1016/j.jss.2014.04.036');
    assert.equal(entry(result, 'doi-escaped').links[0]?.href, 'https://doi.org/10.1109/ACCESS.2020_123');
    assert.equal(entry(result, 'url-special').url, 'https://example.org/~user/a_b%20c?x=1&y=2');
  });

  it('a URL in the doi field becomes a link (on arXiv, the arXiv link), with a warning', async () => {
    const result = await read('dois and urls.bib');
    assert.deepEqual(entry(result, 'doi-not-doi').links, [{ label: 'arXiv', href: 'https://arxiv.org/abs/2512.04702' }]);
    assert.match(messages(result.warnings)[0] ?? '', /doi-not-doi\): doi "https:\/\/arxiv\.org\/pdf\/2512\.04702" is not a DOI \(10\.xxxx\/\.\.\.\); it is shown as the entry's arXiv link/);
  });
});

/** Each publication in APA, as plain text (citeproc's markup removed). */
async function apa(publications: readonly Publication[]): Promise<string[]> {
  const html = await formatItems({ items: publications.map(toCslItem), template: 'apa' });
  return html.map((entry) => entry.replace(/<[^>]+>/g, '').trim());
}

describe('venues, kinds and publishers as exports write them', () => {
  it('a thesis gives CSL its school alone as publisher: APA names the genre and the school once each', async () => {
    const result = await read('thesis school in citations.bib');
    const [phd, msc, noSchool] = ['phd', 'msc', 'phd-no-school'].map((key) => entry(result, key));
    assert.ok(phd && msc && noSchool);
    // The site's own venue line stays as it was.
    assert.equal(phd.venue?.text, 'PhD thesis, National University of Ireland Maynooth');
    assert.equal(noSchool.venue?.text, 'PhD thesis');
    assert.equal(toCslItem(phd)['publisher'], 'National University of Ireland Maynooth');
    assert.equal(toCslItem(phd)['genre'], 'PhD thesis');
    assert.equal(toCslItem(noSchool)['publisher'], undefined);
    const [phdText, mscText, noSchoolText] = await apa([phd, msc, noSchool]);
    assert.equal(phdText, 'Doe, J. (2015). A Thesis [PhD thesis]. National University of Ireland Maynooth.');
    assert.equal(mscText, 'Doe, J. (2009). A Shorter Thesis [Master’s thesis]. University of Patras.');
    assert.equal(noSchoolText, 'Doe, J. (2016). A Thesis Without School [PhD thesis].');
    // A title exported with a closing period is cited with the style's punctuation alone; an abbreviation keeps its own.
    const periods = await readBibtex('@phdthesis{p, title = {String Stability for Platooning.}, author = {Peters, A}, school = {NUI Maynooth}, year = 2015}\n@book{e, title = {Sets, Maps, etc.}, author = {Roe, R}, publisher = {P}, year = 2001}', { file: 'p.bib' });
    assert.deepEqual(periods.publications.map((p) => toCslItem(p)['title']), ['String Stability for Platooning', 'Sets, Maps, etc.']);
    assert.match((await apa([entry(periods, 'p')]))[0] ?? '', /Platooning \[PhD thesis\]\. NUI Maynooth\.$/);
    // The example site's thesis, too.
    const example = (await loadBibliography(exampleRoot, 'publications.bib')).publications.find((p) => p.key === 'nanos2013phd');
    assert.ok(example);
    assert.equal((await apa([example]))[0], 'Nanos, A. (2013). Efficient I/O Device Sharing in Virtualized Environments [PhD thesis]. National Technical University of Athens.');
  });

  it('a paper in a conference\'s proceedings exported as a chapter (the ACM Digital Library\'s @inbook) is a conference paper', async () => {
    const bib = [
      '@inbook{10.5555/3306127.3331720, author = {Doe, Jane}, title = {Learning to Coordinate}, year = {2019}, publisher = {IFAAMAS}, booktitle = {Proceedings of the 18th International Conference on Autonomous Agents and MultiAgent Systems}, pages = {1--9}}',
      '@incollection{workshop, author = {Doe, Jane}, title = {A Workshop Paper}, booktitle = {Euro-Par 2012: Parallel Processing Workshops}, year = {2013}}',
      '@incollection{handbook, author = {Doe, Jane}, title = {A Chapter}, booktitle = {Handbook of Virtualization}, publisher = {Springer}, year = {2020}}',
    ].join('\n');
    const result = await readBibtex(bib, { file: 'k.bib' });
    assert.deepEqual(result.publications.map((p) => [p.key, p.kind]), [['10.5555/3306127.3331720', 'conference'], ['workshop', 'conference'], ['handbook', 'chapter']]);
    const acm = entry(result, '10.5555/3306127.3331720');
    assert.equal(toCslItem(acm)['type'], 'paper-conference');
    assert.ok(scholarMetadata(toPublicationView(acm, () => false), undefined).meta.some((tag) => tag.name === 'citation_conference_title'));
  });

  it('a thesis is of the kind its type field says (biblatex\'s mathesis, a Bachelor\'s thesis, a habilitation), on its page, to Scholar and in CSL', async () => {
    const result = await read('thesis types.bib');
    const venues = result.publications.map((p) => p.venue?.text);
    assert.deepEqual(venues, [
      "Master's thesis, Massachusetts Institute of Technology",
      "Bachelor's thesis, University of Athens",
      'Habilitation à diriger des recherches, Université Grenoble Alpes',
      'PhD thesis, Université Grenoble Alpes',
      'PhD thesis, Université Grenoble Alpes',
      'PhD thesis, University of Michigan', // Zotero's generic type = {Thesis}: the entry type says more
    ]);
    const numbered = entry(result, 'hal-thesis-number');
    assert.deepEqual([numbered.issue, toPublicationView(numbered, () => false).details], [undefined, undefined], 'HAL\'s national thesis number is no issue');
    const cited = await apa(result.publications);
    assert.match(cited[0] ?? '', /\[Master’s thesis\]\. Massachusetts Institute of Technology\.$/);
    assert.match(cited[2] ?? '', /\[Habilitation à diriger des recherches\]\. Université Grenoble Alpes\.$/);
    const institution = scholarMetadata(toPublicationView(entry(result, 'habilitation'), () => false), undefined).meta.find((tag) => tag.name === 'citation_dissertation_institution');
    assert.equal(institution?.content, 'Université Grenoble Alpes');
  });

  it('biblatex\'s subtitle joins the title; an edition is shown and cited, by its number when it has one', async () => {
    const result = await read('subtitles and editions.bib');
    assert.deepEqual(result.publications.map((p) => p.title.text), [
      'Machine Learning: A Probabilistic Perspective',
      'Why Programs Fail? A Guide to Systematic Debugging',
      'Concrete Mathematics',
      'An Old Book',
    ]);
    assert.deepEqual(result.publications.map((p) => toPublicationView(p, () => false).details), ['3rd ed.', '2nd ed.', 'Revised edition', '11th ed.']);
    const cited = await apa(result.publications);
    assert.match(cited[0] ?? '', /Machine Learning: A Probabilistic Perspective \(3rd ed\.\)\. MIT Press\.$/);
    assert.match(cited[1] ?? '', /\(2nd ed\.\)\. Addison-Wesley\.$/, '"Second" cited as the number it is');
  });

  it('a url to the same DOI in other letter case is no second link button', async () => {
    const result = await read('doi letter case.bib');
    assert.deepEqual(entry(result, 'doi-case').links, [{ label: 'arXiv', href: 'https://arxiv.org/abs/2501.17028' }], 'arXiv\'s DOI leads to the preprint\'s arXiv page: one button');
    assert.equal(entry(result, 'doi-case').url, undefined);
    assert.deepEqual(entry(result, 'doi-case-dx').links, [{ label: 'DOI', href: 'https://doi.org/10.1109/ACCESS.2020.123' }]);
    assert.deepEqual(entry(result, 'doi-other-url').links.map((link) => link.label), ['DOI', 'Link']);
  });

  it('a publisher ending with a comma (Google Scholar) loses the comma, on the page and in CSL', async () => {
    const book = entry(await read('publisher with trailing comma.bib'), 'scholar-book');
    assert.equal(book.publisher, 'Courier Corporation');
    assert.equal(toCslItem(book)['publisher'], 'Courier Corporation');
    assert.equal((await apa([book]))[0], 'Doe, J. (1956). Theory of Elasticity. Courier Corporation.');
  });

  it('an address in the doi field is no DOI: a link with a warning, and no DOI to cite', async () => {
    const result = await read('doi field holding an address.bib');
    const address = entry(result, 'doi-address');
    assert.equal(address.doi, undefined);
    assert.equal(toCslItem(address)['DOI'], undefined);
    assert.deepEqual(address.links, [{ label: 'arXiv', href: 'https://arxiv.org/abs/2512.04702' }]);
    assert.match(messages(result.warnings).join('\n'), /\(doi-address\): doi "https:\/\/arxiv\.org\/pdf\/2512\.04702" is not a DOI/);
    assert.doesNotMatch((await apa([address]))[0] ?? '', /doi\.org/);
    assert.equal(entry(result, 'doi-prefixed').doi, '10.1000/xyz');
  });

  it('arXiv preprints exported as @article (DBLP\'s CoRR, Google Scholar, ADS) are preprints, with an arXiv link', async () => {
    const result = await read('arxiv articles.bib');
    const kinds = Object.fromEntries(result.publications.map((p) => [p.key, p.kind]));
    assert.deepEqual(kinds, {
      'DBLP:journals/corr/abs-2501-17028': 'preprint',
      'scholar-arxiv': 'preprint',
      'ads-arxiv': 'preprint',
      'eprint-only': 'preprint',
      'published-with-eprint': 'article',
      'journal-about-arxiv': 'article',
      'corr-volume-only': 'preprint',
      'scholar-with-year': 'preprint',
    });
    const arxiv = (key: string): string | undefined => entry(result, key).links.find((link) => link.label === 'arXiv')?.href;
    assert.equal(arxiv('scholar-arxiv'), 'https://arxiv.org/abs/2403.11043', 'the id from Google Scholar\'s journal');
    assert.equal(arxiv('DBLP:journals/corr/abs-2501-17028'), 'https://arxiv.org/abs/2501.17028');
    assert.equal(arxiv('ads-arxiv'), 'https://arxiv.org/abs/2301.00001');
    assert.equal(arxiv('journal-about-arxiv'), undefined);
    assert.equal(arxiv('corr-volume-only'), 'https://arxiv.org/abs/2403.11044', 'the id from DBLP\'s volume');
    assert.equal(arxiv('scholar-with-year'), 'https://arxiv.org/abs/1706.03762', 'Scholar\'s journal with a year after the id');
  });

  it('an arXiv preprint goes to CSL as a preprint, so APA names arXiv, its identifier and its address rather than a journal', async () => {
    const result = await read('arxiv articles.bib');
    const keys = ['DBLP:journals/corr/abs-2501-17028', 'scholar-arxiv', 'eprint-only', 'published-with-eprint', 'scholar-with-year'];
    const [corr, scholar, eprintOnly, published, withPublisher] = await formatItems({ items: keys.map((key) => toCslItem(entry(result, key))), template: 'apa' });
    assert.equal(withPublisher?.trim(), 'Doe, J. (2017). <i>A Preprint Whose Journal Ends With Its Year</i> (arXiv:1706.03762). arXiv. https://arxiv.org/abs/1706.03762', 'arXiv, not the export\'s publisher');
    assert.equal(corr?.trim(), 'Doe, J. (2025). <i>A Preprint on CoRR</i> (arXiv:2501.17028). arXiv. https://arxiv.org/abs/2501.17028');
    assert.equal(scholar?.trim(), 'Doe, J. (2024). <i>A Preprint from Google Scholar</i> (arXiv:2403.11043). arXiv. https://arxiv.org/abs/2403.11043');
    assert.equal(eprintOnly?.trim(), 'Doe, J. (2022). <i>An arXiv Eprint Without Journal</i> (arXiv:2201.00002). arXiv. https://arxiv.org/abs/2201.00002');
    assert.match(published ?? '', /<i>Journal of Systems and Software<\/i>/, 'a published article stays one');
  });

  it('the BibTeX visitors copy has the file\'s @string macros written out, as it has no @string beside it', async () => {
    const copied = entry(await read('string macros in copied bibtex.bib'), 'macros').bibtex;
    assert.match(copied, /^ {2}journal += \{Physical Review Letters\},$/m, 'a macro defined by concatenation');
    assert.match(copied, /^ {2}publisher += \{American Physical Society,\},$/m);
    assert.match(copied, /^ {2}note += \{See American Physical Society, archive\},$/m, 'a concatenation of text and a macro');
    assert.match(copied, /^ {2}month += may,$/m, 'standard month macros stay');
    assert.match(copied, /^ {2}howpublished = self # " again",$/m, 'a macro inside its own definition is not expanded again');
  });

  it('initials written together ("Peters, AA", "VJS Pranavasri") stay all initials in a CSL style', async () => {
    const item = toCslItem(entry(await read('initials written together.bib'), 'initials'));
    const [apa] = await formatItems({ items: [item], template: 'apa' });
    assert.match(apa ?? '', /^\s*Peters, A\. A\., Salgado, M\. E\., Hertz, D\. L\., Pranavasri, V\. J\. S\., Lee, B\., &#38; Ng, A\. \(2007\)/);
    const [beside] = await formatItems({ items: [toCslItem(entry(await read('initials written together.bib'), 'initials-beside-names'))], template: 'apa' });
    assert.match(beside ?? '', /^\s*Taylor, J\. M\. G\., Shih, N\. N\. C\., Vaddhiparthy, S\. V\. S\. L\. N\. S\. S\., &#38; Doe, J\. P\. \(2009\)/, 'none of the initials lost; "JOHN PAUL" is two names');
    const capitals = toCslItem(entry(await read('initials written together.bib'), 'capitals'))['author'];
    assert.deepEqual(capitals, [{ family: 'SMITH', given: 'ANN' }, { family: 'LI', given: 'JOE' }], 'a whole name in capitals is a name, not initials');
  });

  it('an entry without a title is an error naming its line and key: lists and pages name each entry by its title', async () => {
    const result = await read('entries without a title.bib');
    assert.deepEqual(messages(result.errors), [
      'entries without a title.bib:2 (empty-title): no title: add a title field (the site lists and links each entry by its title)',
      'entries without a title.bib:8 (no-title): no title: add a title field (the site lists and links each entry by its title)',
    ]);
  });

  it('a @misc whose venue is its publisher (Zotero preprints) says it once, on its page and in CSL', async () => {
    const result = await read('misc publisher as venue.bib');
    const preprint = entry(result, 'medrxiv-preprint');
    assert.equal(preprint.venue?.text, 'medRxiv');
    assert.equal(preprint.publisher, undefined);
    assert.deepEqual([toCslItem(preprint)['publisher'], toCslItem(preprint)['container-title']], ['medRxiv', undefined], 'its publisher, no container');
    assert.equal(((await apa([preprint]))[0]?.match(/medRxiv/g) ?? []).length, 2, 'in the title and once as the venue');
    // A publisher beside another venue is still shown.
    const other = entry(result, 'misc-howpublished');
    assert.deepEqual([other.venue?.text, other.publisher], ['Technical note', 'ACME Press']);
  });
});

describe('NASA ADS', () => {
  it('journals named by the AAS\'s macros, "and et al.", numbers and identifiers said once, and a button to ADS', async () => {
    const result = await read('nasa ads.bib');
    assert.deepEqual(messages(result.warnings), []);
    const letter = entry(result, '2019ApJ...875L...1E');
    assert.deepEqual([letter.kind, letter.venue?.text], ['article', 'The Astrophysical Journal Letters'], 'a journal article, not a preprint for want of a journal');
    assert.equal(entry(result, '2020MNRAS.491.1234S').venue?.text, 'Monthly Notices of the Royal Astronomical Society');
    assert.deepEqual(letter.authors.map(displayName), ['Event Horizon Telescope Collaboration', 'Kazunori Akiyama', 'Antxon Alberdi']);
    assert.equal(letter.etAl, true, '"et al." is no author');
    assert.equal(toPublicationView(letter, () => false).details, 'vol. 875, no. 1, p. L1');
    assert.deepEqual(letter.links.map((link) => link.label), ['DOI', 'arXiv', 'ADS']);
    const preprint = entry(result, '2021arXiv210300001D');
    assert.deepEqual([preprint.kind, preprint.pages, preprint.articleNumber], ['preprint', undefined, undefined], 'its identifier is the preprint\'s, not pages');
    assert.equal((await apa([preprint]))[0], 'Doe, J. (2021). A preprint on ADS (arXiv:2103.00001). arXiv. https://arxiv.org/abs/2103.00001');
  });
});

describe('exporters\' own fields', () => {
  it('Scopus, Semantic Scholar, biblatex, HAL, Mendeley, EndNote, PubMed and ScienceDirect: what each means by its fields', async () => {
    const result = await read('exporters\' own fields.bib');
    assert.deepEqual(messages(result.warnings), []);
    const scopus = entry(result, 'scopus');
    assert.equal(scopus.note, undefined, 'Scopus\'s citation count is no note');
    assert.deepEqual(scopus.keywords, ['Deep learning', 'Graphs'], 'the authors\' keywords, not the index terms');
    assert.equal(scopus.articleNumber, '1234');
    const s2 = entry(result, 'semantic-scholar');
    assert.deepEqual([s2.kind, s2.links.map((link) => link.href)], ['preprint', ['https://arxiv.org/abs/2005.14165']]);
    const inPress = entry(result, 'jabref-inpress');
    assert.deepEqual([inPress.forthcoming, inPress.year], [true, undefined], 'biblatex\'s pubstate = inpress');
    const hal = entry(result, 'hal-working-paper');
    assert.deepEqual([hal.kind, hal.links], ['preprint', [{ label: 'HAL', href: 'https://hal.science/hal-01234567' }]]);
    const mendeley = entry(result, 'mendeley-urls');
    assert.deepEqual(mendeley.links.map((link) => link.href), ['https://doi.org/10.1016/j.cell.2019.01.001', 'http://www.ncbi.nlm.nih.gov/pubmed/30773317'], 'two addresses, the DOI\'s said once');
    const pages = scholarMetadata(toPublicationView(mendeley, () => false), undefined).meta.filter((tag) => /page$/.test(tag.name)).map((tag) => tag.content);
    assert.deepEqual(pages, ['1234', '1245'], 'PubMed\'s shortened range written out for indexers');
    assert.deepEqual(entry(result, 'endnote-urls').links.map((link) => link.href), ['https://link.springer.com/content/pdf/10.1007/s00000-019-00001-1.pdf'], 'EndNote\'s <Go to ISI> record left out');
    const archived = entry(result, 'archived-and-reversed');
    assert.deepEqual(archived.links.map((link) => `${link.label} ${link.href}`), [
      'Code https://web.archive.org/web/20200101000000/https://example.org/tool',
      'Link https://link.springer.com/content/pdf/10.1007/s00000-019-00002-2.pdf',
    ], 'a web archive\'s address broken after its "/" is one address; <Go to ISI> after an address is left out too');
    assert.equal(archived.note?.text, 'Cited by 500 papers; best paper award', 'an owner\'s note is no Scopus count');
    assert.equal(entry(result, 'sciencedirect-chapter').title.text, 'Machine learning in drug discovery', 'ScienceDirect\'s "Chapter 5 - " is no part of the title');
    const percent = entry(result, 'percent-in-addresses');
    assert.equal(percent.venue?.text, 'https://example.org/other%2Fpath', 'an address\'s "%" as written');
    assert.equal(percent.note?.html, 'See <a href="https://example.org/a%20b">the data</a>, 10% of it');
    const pasted = entry(result, 'zotero-escaped-twice').abstract;
    assert.equal(pasted?.text, 'AIMS: Validation of associations. PATIENTS & METHODS: ejection fraction <55% and a risk allele (3435C>T, p < .0001) at ν/2.', 'line breaks and angles escaped twice, as Zotero exports a pasted abstract');
    assert.equal(entry(result, 'zotero-escaped-commands').abstract?.text, 'Let x∉S and a≰b. We note.', 'math escaped the same way keeps its \\notin and \\nleq');
    const lineBreaks = entry(result, 'mendeley-line-breaks');
    assert.deepEqual([lineBreaks.abstract?.text, lineBreaks.title.text], ['Lines from a PDF. We propose a novel method.', 'The \\textless Command in a Title'], 'a line broken before a small letter too; a title\'s \\textless is what it says');
    assert.match(pasted?.html ?? '', /^AIMS: Validation of associations\. PATIENTS &amp; METHODS: ejection fraction &lt;55% .*<annotation encoding="application\/x-tex">\\frac\{\\nu\}\{2\}<\/annotation>/, 'math keeps its \\nu');
  });
});

describe('identifiers', () => {
  it('PubMed, PubMed Central, JSTOR and handles become buttons, however written; ISBNs and ISSNs with a right check digit go to indexers', async () => {
    const result = await read('identifiers as links.bib');
    const links = (key: string): string[] => entry(result, key).links.map((link) => `${link.label} ${link.href}`);
    assert.deepEqual(links('zotero-pubmed'), ['DOI https://doi.org/10.2217/pgs.15.162', 'PubMed https://pubmed.ncbi.nlm.nih.gov/26799497/'], 'Zotero\'s eprint and pmid: one button');
    assert.deepEqual(links('jabref-pmc'), ['PubMed https://pubmed.ncbi.nlm.nih.gov/30773317/', 'PMC https://pmc.ncbi.nlm.nih.gov/articles/PMC6543210/'], '"PMID: " and PubMed\'s old address are the same record');
    assert.deepEqual(links('jstor-eprint'), ['JSTOR https://www.jstor.org/stable/1912345']);
    assert.deepEqual(links('handle-eprint'), ['Handle https://hdl.handle.net/1721.1/12345']);
    assert.deepEqual(links('not-an-identifier'), []);
    assert.deepEqual(links('zotero-pmc-and-url'), ['PMC https://pmc.ncbi.nlm.nih.gov/articles/PMC6543210/'], 'the url is the same record');
    assert.deepEqual(links('jstor-book'), ['JSTOR https://www.jstor.org/stable/j.ctt7s8z5'], 'a book\'s stable id; its address with a query is the same record');
    assert.deepEqual(links('handle-address'), ['Handle https://hdl.handle.net/1721.1/a%20b'], 'an address without its scheme; an escape is not escaped again');
    assert.deepEqual([toCslItem(entry(result, 'jstor-book'))['URL'], toCslItem(entry(result, 'zotero-pubmed'))['URL']], ['http://www.jstor.org/stable/j.ctt7s8z5?seq=1', undefined], 'a citation keeps the url whose button is the identifier\'s');
    assert.deepEqual(links('zotero-arxiv-doi'), ['arXiv https://arxiv.org/abs/1706.03762', 'zbMATH https://zbmath.org/?q=an:07123456'], 'arXiv\'s page by http is its button, and its DOI none of its own; zbMATH\'s number of an item not yet reviewed');
    assert.deepEqual(messages(result.warnings), [
      'identifiers as links.bib:48 (not-an-identifier): pmid "n/a" is not a PubMed id (digits); the link is left out',
      'identifiers as links.bib:73 (typo-in-numbers): isbn "978-0-323-90045-5" is not an ISBN (its check digit does not match); left out of what indexers read',
      'identifiers as links.bib:73 (typo-in-numbers): issn "1234-5678" is not an ISSN (its check digit does not match); left out of what indexers read',
      'identifiers as links.bib:111 (eprint-not-an-identifier): eprint "abc" is not a PubMed id (digits); the link is left out',
    ]);
    const metadata = (key: string): ReturnType<typeof scholarMetadata> => scholarMetadata(toPublicationView(entry(result, key), () => false), undefined);
    const tags = (key: string): string[] => metadata(key).meta.filter((tag) => /citation_is[bs]n/.test(tag.name)).map((tag) => `${tag.name} ${tag.content}`);
    assert.deepEqual(tags('zotero-isbns'), ['citation_isbn 978-3-319-52677-5', 'citation_isbn 978-3-319-51393-5'], 'the print and the electronic book');
    assert.deepEqual(tags('chapter-isbn'), ['citation_isbn 0-8044-2957-X'], 'its label and binding are no part of it');
    assert.deepEqual(tags('zotero-pubmed'), ['citation_issn 1744-8042']);
    assert.deepEqual(tags('typo-in-numbers'), []);
    const book = JSON.parse(metadata('zotero-isbns').jsonLd) as Record<string, unknown>;
    assert.deepEqual([book['@type'], book['isbn']], ['Book', ['978-3-319-52677-5', '978-3-319-51393-5']]);
    assert.deepEqual((JSON.parse(metadata('chapter-isbn').jsonLd) as Record<string, unknown>)['isPartOf'], { '@type': 'Book', name: 'A Handbook', isbn: ['0-8044-2957-X'] });
    assert.deepEqual((JSON.parse(metadata('zotero-pubmed').jsonLd) as Record<string, unknown>)['isPartOf'], { '@type': 'Periodical', name: 'Pharmacogenomics', issn: ['1744-8042'] });
    assert.deepEqual([toCslItem(entry(result, 'zotero-isbns'))['ISBN'], toCslItem(entry(result, 'zotero-pubmed'))['ISSN']], ['978-3-319-52677-5 978-3-319-51393-5', '1744-8042']);
  });

  it('a conference paper is part of its proceedings, a book with its ISBN when the entry gives one', async () => {
    const result = await readBibtex('@inproceedings{p, author = {A. B}, title = {T}, booktitle = {Proc. of X}, isbn = {978-1-4503-2670-4}, year = 2014}\n@inproceedings{q, author = {A. B}, title = {T}, booktitle = {Proc. of Y}, year = 2014}\n', { file: 'proceedings.bib' });
    const partOf = (key: string): unknown => (JSON.parse(scholarMetadata(toPublicationView(entry(result, key), () => false), undefined).jsonLd) as Record<string, unknown>)['isPartOf'];
    assert.deepEqual(partOf('p'), { '@type': 'Book', name: 'Proc. of X', isbn: ['978-1-4503-2670-4'] });
    assert.deepEqual(partOf('q'), { '@type': 'CreativeWork', name: 'Proc. of Y' });
  });
});

describe('ISBNs and ISSNs as exports write them', () => {
  it('several in a field, with labels and bindings, groups parted by spaces; a wrong check digit is no number', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['978-3-319-52677-5 978-3-319-51393-5', ['978-3-319-52677-5', '978-3-319-51393-5'], []],
      ['ISBN-13: 978-1-4028-9462-6; ISBN-10: 1-4028-9462-7', ['978-1-4028-9462-6', '1-4028-9462-7'], []],
      ['Print ISBN13: 9783319526775 / 978-3-319-51393-5', ['9783319526775', '978-3-319-51393-5'], []],
      ['ISBN 0-19-852663-6 (pbk.)', ['0-19-852663-6'], []],
      ['0 8044 2957 x pbk', ['0-8044-2957-X'], []],
      ['978-0-323-90045-5', [], ['978-0-323-90045-5']],
      ['N/A', [], []],
    ];
    for (const [value, valid, invalid] of cases) assert.deepEqual(isbnsIn(value), { valid, invalid }, value);
    assert.deepEqual(issnsIn('e-ISSN: 1476-4687, ISSN-L 0028-0836'), { valid: ['1476-4687', '0028-0836'], invalid: [] });
    assert.deepEqual(issnsIn('00129682, 14680262'), { valid: ['0012-9682', '1468-0262'], invalid: [] }, 'JSTOR writes them without the hyphen');
    assert.deepEqual(issnsIn('1470-269x 1234-5678'), { valid: ['1470-269X'], invalid: ['1234-5678'] });
  });
});

describe('INSPIRE-HEP and arXiv identifiers', () => {
  it('a collaboration is named after its authors, or alone; an arXiv identifier is found in eprint, journal, note and arXiv\'s DOI', async () => {
    const result = await read('inspire-hep.bib');
    assert.deepEqual(messages(result.warnings), []);
    const view = (key: string): PublicationView => toPublicationView(entry(result, key), () => false);
    assert.deepEqual(['ATLAS:2012yve', 'ATLAS:2022conf', 'Abbott:2016blz'].map((key) => creditLine(view(key))), [
      'Georges Aad, et al. (ATLAS Collaboration)',
      'ATLAS Collaboration',
      'B. P. Abbott, et al. (LIGO Scientific and Virgo Collaborations)',
    ]);
    const conf = view('ATLAS:2022conf');
    assert.deepEqual([conf.kind, conf.issue], ['report', 'ATLAS-CONF-2022-001'], 'its report number');
    assert.ok(scholarMetadata(conf, undefined).meta.some((tag) => tag.name === 'citation_author' && tag.content === 'ATLAS Collaboration'));
    assert.deepEqual(await apa([entry(result, 'ATLAS:2022conf')]), ['ATLAS Collaboration. (2022). Search for τ-lepton pairs (ATLAS-CONF-2022-001). CERN.']);
    const arxiv = (key: string): string | undefined => entry(result, key).links.find((link) => link.label === 'arXiv')?.href;
    assert.equal(arxiv('Witten:1998qj'), 'https://arxiv.org/abs/hep-th/9802150', 'an eprint without archivePrefix (SPIRES)');
    assert.equal(entry(result, 'Witten:1998qj').kind, 'article', 'still the journal\'s article');
    assert.deepEqual([entry(result, 'inspire-journal-is-arxiv').kind, arxiv('inspire-journal-is-arxiv')], ['preprint', 'https://arxiv.org/abs/2401.01234']);
    assert.equal(arxiv('https://doi.org/10.48550/arxiv.1706.03762'), 'https://arxiv.org/abs/1706.03762', 'arXiv\'s DOI (DataCite)');
    assert.match((await apa([entry(result, 'https://doi.org/10.48550/arxiv.1706.03762')]))[0] ?? '', /Attention Is All You Need \(arXiv:1706\.03762\)\. arXiv\./);
    assert.equal(arxiv('hand-written-note'), 'https://arxiv.org/abs/2101.00001');
    assert.equal(creditLine(view('ads-collaboration-as-author')), 'ATLAS Collaboration, G. Aad', 'a collaboration already among the authors is not named again');
    assert.deepEqual(toCslItem(entry(result, 'ATLAS:2012yve'))['author'], [{ family: 'Aad', given: 'Georges' }], 'beside names, CSL gets no collaboration (it would read as a second author)');
  });
});

describe('MathSciNet and zbMATH', () => {
  it('the journal\'s full name, buttons to MathSciNet and zbMATH, volumes and exposés as a list says them', async () => {
    const result = await read('mathscinet and zbmath.bib');
    assert.deepEqual(messages(result.warnings), [], 'MRREVIEWER\'s control space is no unknown command');
    const wiles = toPublicationView(entry(result, 'MR1333035'), () => false);
    assert.deepEqual([wiles.venue, wiles.details], ['Annals of Mathematics. Second Series', 'vol. 141, no. 3, pp. 443–551'], 'fjournal, not "Ann. of Math. (2)"');
    assert.deepEqual(wiles.links.map((link) => `${link.label} ${link.href}`), ['DOI https://doi.org/10.2307/2118559', 'MR https://mathscinet.ams.org/mathscinet-getitem?mr=1333035'], 'the old review code is no part of the number');
    assert.equal(entry(result, 'MR0338129').links[0]?.href, 'https://mathscinet.ams.org/mathscinet-getitem?mr=0338129');
    assert.equal(toPublicationView(entry(result, 'MR0338129'), () => false).details, 'Lecture Notes in Math., vol. 341, pp. 85–147', 'its series; not "vol. Vol. 341"');
    assert.equal(toPublicationView(entry(result, 'MR1610966'), () => false).details, 'pp. Exp. No. 306, 415–440');
    assert.deepEqual(entry(result, 'zbMATH06294931').links.map((link) => `${link.label} ${link.href}`), ['DOI https://doi.org/10.4007/annals.2014.179.3.7', 'zbMATH https://zbmath.org/?q=an:1290.11128']);
  });

  it('sums a publication up in one line for search results and the feed, with one full stop between parts', async () => {
    const result = await readBibtex('@article{a, author = {Einstein, A. and Podolsky, B.}, title = {T}, journal = {Phys. Rev.}, year = 1935, month = may}\n@article{b, author = {King, Martin and King, Jr., Martin}, title = {T}, journal = {Nature}, year = 2020}\n', { file: 'summary.bib' });
    const summary = (key: string): string => publicationSummary(toPublicationView(entry(result, key), () => false));
    assert.equal(summary('a'), 'A. Einstein, B. Podolsky. Phys. Rev. May 1935', 'not "Phys. Rev.. May 1935"');
    assert.equal(summary('b'), 'Martin King, Martin King, Jr. Nature. 2020');
  });

  it('a conference paper\'s organization, as Google Scholar writes its publisher, is its publisher when it names none', async () => {
    const result = await readBibtex([
      '@inproceedings{scholar, title = {T}, author = {Peters, AA}, booktitle = {2009 European Control Conference}, pages = {1--6}, year = {2009}, organization = {IEEE}}',
      '@inproceedings{both, title = {T}, author = {Peters, AA}, booktitle = {Proc. of X}, year = {2009}, organization = {ACM SIGOPS}, publisher = {ACM}}',
      '',
    ].join('\n'), { file: 'scholar.bib' });
    assert.deepEqual(['scholar', 'both'].map((key) => entry(result, key).publisher), ['IEEE', 'ACM']);
    const meta = scholarMetadata(toPublicationView(entry(result, 'scholar'), () => false), undefined).meta;
    assert.equal(meta.find((tag) => tag.name === 'citation_publisher')?.content, 'IEEE');
    assert.equal(toCslItem(entry(result, 'scholar'))['publisher'], 'IEEE');
  });

  it('a city only publishers are in is the publisher\'s, not where the conference was', async () => {
    const result = await readBibtex([
      '@inproceedings{aamas, author = {Doe, Jane}, title = {T}, booktitle = {Proc. of AAMAS}, publisher = {IFAAMAS}, address = {Richland, SC}, year = 2019}',
      '@incollection{chapter, author = {Doe, Jane}, title = {T}, booktitle = {Clinical Trials}, publisher = {Springer}, address = {Cham}, year = 2021}',
      '@inproceedings{held, author = {Doe, Jane}, title = {T}, booktitle = {Proc. of Euro-Par}, publisher = {Springer}, address = {Bordeaux, France}, year = 2011}',
      '@book{book, author = {Doe, Jane}, title = {T}, publisher = {Springer}, address = {Cham}, year = 2020}',
      '',
    ].join('\n'), { file: 'places.bib' });
    const places = ['aamas', 'chapter', 'held', 'book'].map((key) => {
      const view = toPublicationView(entry(result, key), () => false);
      return [view.place, view.publisherPlace];
    });
    assert.deepEqual(places, [[undefined, 'Richland, SC'], [undefined, 'Cham'], ['Bordeaux, France', undefined], [undefined, 'Cham']], 'a book\'s city is its publisher\'s: "Cham: Springer"');
  });

  it('a link in a title is shown as its text, as lists make the title a link', async () => {
    const { publications } = await readBibtex('@misc{linked, title = {The \\href{https://example.org/tool}{Tool} and \\url{https://example.org/}}, year = 2020}\n', { file: 'linked.bib' });
    const [publication] = publications;
    assert.match(publication?.title.html ?? '', /<a href="https:\/\/example\.org\/tool">Tool<\/a>/, 'the entry keeps its link');
    assert.equal(publication === undefined ? undefined : toPublicationView(publication, () => false).titleHtml, 'The Tool and https://example.org/');
  });

  it('a report says what kind of report it is, a chapter who edited its book, software its version', async () => {
    const result = await readBibtex([
      '@techreport{tr, author = {Doe, Jane}, title = {T}, institution = {CWI}, number = {INS-R2001}, year = 2020}',
      '@techreport{typed, author = {Doe, Jane}, title = {T}, institution = {NBER}, type = {Working Paper}, number = {27000}, year = 2020}',
      '@techreport{unnumbered, author = {Doe, Jane}, title = {T}, institution = {NTUA}, year = 2019}',
      '@incollection{chapter, author = {Doe, Jane}, title = {T}, booktitle = {Handbook of Cloud Computing}, editor = {Smith, John and Roe, Richard and Poe, Edgar}, publisher = {Springer}, address = {New York, NY}, pages = {123--145}, year = 2017}',
      '@incollection{many, author = {Doe, Jane}, title = {T}, booktitle = {B}, editor = {A, B and C, D and E, F and G, H}, year = 2017}',
      '@software{tool, author = {Doe, Jane}, title = {urunc}, version = {v0.4.0}, year = 2024}',
      '@unpublished{talk, author = {Doe, Jane}, title = {T}, note = {Invited talk, Dagstuhl Seminar 23101}, year = 2023, month = mar}',
      '',
    ].join('\n'), { file: 'kinds.bib' });
    const view = (key: string): PublicationView => toPublicationView(entry(result, key), () => false);
    assert.deepEqual(['tr', 'typed', 'unnumbered'].map((key) => [view(key).venue, view(key).details]), [
      ['CWI', 'Technical report INS-R2001'],
      ['NBER', 'Working Paper 27000'],
      ['NTUA', 'Technical report'],
    ], 'a report\'s number is no issue\'s "no."');
    const chapter = view('chapter');
    assert.deepEqual([chapter.venue, chapter.details, chapter.place, chapter.publisherPlace, chapter.publisher], ['Handbook of Cloud Computing', 'edited by John Smith, Richard Roe and Edgar Poe, pp. 123–145', undefined, 'New York, NY', 'Springer'], 'the city goes with the publisher, not alone after the pages');
    assert.equal(view('many').details, 'edited by B A et al.');
    assert.equal(view('tool').details, 'version 0.4.0');
    const talk = view('talk');
    assert.deepEqual([talk.kind, talk.venue, talk.noteHtml, cvVenueLine(talk)], ['presentation', 'Invited talk, Dagstuhl Seminar 23101', undefined, 'Invited talk, Dagstuhl Seminar 23101, March 2023'], 'a talk\'s note says where it was given: in lists and the CV, and once on its page');
  });

  it('the feed has papers not yet out, and titles with math as text', async () => {
    const result = await readBibtex([
      '@article{accepted, author = {Doe, Jane}, title = {Accepted}, journal = {J}, year = {To Appear}}',
      '@article{math, author = {Doe, Jane}, title = {A $\\sqrt{n}$ bound}, journal = {J}, year = 2021, month = jun}',
      '@article{older, author = {Doe, Jane}, title = {On \\emph{Drosophila}}, journal = {J}, year = 2019}',
      '@misc{undated, author = {Doe, Jane}, title = {Undated}}',
      '',
    ].join('\n'), { file: 'feed.bib' });
    const views = ['accepted', 'math', 'older', 'undated'].map((key) => toPublicationView(entry(result, key), () => false));
    const feed = publicationsFeed(views, { title: 'Publications', author: 'Jane Doe', base: 'https://example.org/', language: 'en' });
    const entries = [...feed.matchAll(/<entry>\s*(<title[^>]*>[^<]*<\/title>)[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(entries, [
      ['<title type="html">Accepted</title>', '2021-06-01T00:00:00Z'],
      ['<title>A √n bound</title>', '2021-06-01T00:00:00Z'],
      ['<title type="html">On &lt;i&gt;Drosophila&lt;/i&gt;</title>', '2019-01-01T00:00:00Z'],
    ], 'a forthcoming paper dated as the newest of the others; an undated one left out');
  });

  it('lists keep each range of pages on one line, and escape the rest', async () => {
    const result = await readBibtex(`@incollection{r, author = {A. B}, title = {T}, booktitle = {B}, series = {Q \\& A's}, volume = {7}, pages = {85--147, e1--e9}, year = 2020}\n`, { file: 'ranges.bib' });
    const view = toPublicationView(entry(result, 'r'), () => false);
    assert.equal(view.details, "Q & A's, vol. 7, pp. 85–147, e1–e9");
    assert.equal(view.detailsHtml, 'Q &amp; A&#39;s, vol. 7, pp. <span class="nowrap">85–147</span>, <span class="nowrap">e1–e9</span>');
    const mathscinet = toPublicationView(entry(await read('mathscinet and zbmath.bib'), 'MR1610966'), () => false);
    assert.equal(mathscinet.detailsHtml, 'pp. Exp. No. 306, <span class="nowrap">415–440</span>');
  });
});

describe('humanities and social-science exports', () => {
  it('series, translators, editors of editions, reprints, talks, newspapers, volumes of a work and classic @inbook read as a scholar writes them', async () => {
    const result = await read('humanities exports.bib');
    assert.deepEqual(messages(result.warnings), [], 'biblatex\'s @review and @video are known types');
    const view = (key: string): PublicationView => toPublicationView(entry(result, key), () => false);
    const line = (key: string): string => [creditLine(view(key)), view(key).title, view(key).venue, view(key).details].filter(Boolean).join(' | ');
    assert.deepEqual(
      ['dumas2008', 'george2003', 'marx1990', 'durkheim1988', 'moreau2016', 'moreau2012', 'hobsbawm1962', 'doe2011'].map(line),
      [
        'Alexandre Dumas | Les trois mousquetaires | Folio classique 3461',
        'Andrew R. George (trans.) | The Epic of Gilgamesh',
        'Karl Marx; ed. Ernest Mandel; trans. Ben Fowkes | Capital',
        'Émile Durkheim | Les règles de la méthode sociologique | 4e éd.',
        'Claire Moreau | Massacre | Journal of Modern History | vol. 88, no. 1, pp. 200–202',
        'Claire Moreau | Le XIXe siècle | Histoire des femmes en France, vol. 2',
        'Eric Hobsbawm | The Industrial Revolution | The Age of Revolution | pp. 42–73',
        'Jane Doe | L\'histoire | A Book: Its Subtitle | edited by Richard Roe',
      ],
      'a series number is no issue; "4e éd." gets no second "ed."; "pp." and "Bd." are not said twice; \\textsc{xix} is XIX in text; a chapter\'s book is said with who edited it',
    );
    const kinds = Object.fromEntries(result.publications.map((p) => [p.key, p.kind]));
    assert.deepEqual(
      ['moreau2016', 'smith2019aha', 'smith2019ssha', 'diw2022', 'krugman2020', 'varda1962'].map((key) => kinds[key]),
      ['article', 'presentation', 'presentation', 'other', 'other', 'other'],
      'a review is an article; "paper presented at" is a talk; "panel data" is none; a newspaper\'s article is no journal\'s',
    );
    assert.deepEqual(await apa(['marx1990', 'durkheim1988', 'smith2019aha', 'krugman2020', 'diw2022', 'worldbank2019', 'dumas2008', 'moreau2012'].map((key) => entry(result, key))), [
      'Marx, K. (1990). Capital (E. Mandel, Ed.; B. Fowkes, Trans.). Penguin. (Original work published 1867)',
      'Durkheim, É. (1988). Les règles de la méthode sociologique (4e éd.). Flammarion. (Original work published 1895)',
      'Smith, J. (2019, January 5). Memory and Empire [Conference presentation]. AHA Annual Meeting, Chicago, IL.',
      'Krugman, P. (2020, March 15). The Case for a Green New Deal. The New York Times, A23.',
      'DIW Berlin. (2022). Socio-Economic Panel, 1984–2020 [SOEP panel data, v37].',
      'World Bank. (2019). Poverty and Shared Prosperity 2018. World Bank.',
      'Dumas, A. (2008). Les trois mousquetaires. Gallimard.',
      'Moreau, C. (2012). Histoire des femmes en France: Vol. 2. Le XIXe siècle. Fayard.',
    ], 'no "(Issue 3461)", no "In World Bank", no "[Unpublished manuscript]" for a talk; a volume of a work is cited in it');
    assert.equal(entry(result, 'marx1990').year, 1990, 'the reprint\'s year, not the original\'s');
    assert.equal(creditLine(view('varda1962')), 'Agnès Varda (dir.)', 'Better BibLaTeX\'s film: its editor is its director');
    // What must not change for ordinary exports.
    assert.deepEqual(['numbered-chapter', 'acm-series', 'jpcs', 'series-editor'].map(line), [
      'Anna Nanos | Big Book | pp. 1–20',
      'Anna Nanos | An ACM Paper | Proceedings of the 29th ACM International Conference on Information and Knowledge Management | pp. 1275–1284',
      'Anna Nanos | A Paper in a Conference Series | Proceedings of a Conference | Journal of Physics: Conference Series, vol. 1234, no. 1, art. no. 012001',
      'Anna Nanos | A Monograph | Studies in X',
    ], 'a numbered chapter is no classic @inbook; ACM\'s series is its conference again; a number beside a volume is its issue; editors beside a series may be the series\'');
    assert.equal(kinds['preprint-presented'], 'preprint', 'a preprint presented at a workshop is still a preprint');
    assert.deepEqual(['titled-like-a-number', 'chapter-is-title', 'small-caps-spans'].map(line), [
      'Anna Nanos | Industry 4.0 | Big Book',
      'Anna Nanos | Same Title',
      'Anna Nanos | Mary had a lamb in the XIXe siècle | 2ª ed., vol. 52, pp. 45–67',
    ], 'a title that ends in a number is a title; a chapter that is the title is said once; small caps are capitals only for a span of small letters; "No. 52" and "pp.45" are not said twice');
    assert.deepEqual(await apa([entry(result, 'talk-with-address')]), ['Nanos, A. (2020). A Recorded Talk. https://youtu.be/x'], 'a talk\'s address is no event');
    assert.deepEqual(await apa(['woolf1931', 'smith2019ssha'].map((key) => entry(result, key))), [
      'Woolf, V. (1931, August 15). Letter to Vita Sackville-West.',
      'Smith, J. (2019). Barricades. SSHA annual meeting, Chicago.',
    ], 'a letter is in the reference list; a talk\'s note names its event');
    const translated = toPublicationView(entry(result, 'translated-by-owner'), (person) => person.family === 'Nanos');
    assert.equal(translated.creditHtml, 'Immanuel Kant; trans. <strong class="pub__me">Anastassios Nanos</strong>', 'the owner\'s translation shows the owner');
    assert.deepEqual((JSON.parse(scholarMetadata(translated, undefined).jsonLd) as Record<string, unknown>)['translator'], [{ '@type': 'Person', name: 'Anastassios Nanos' }]);
    assert.doesNotMatch(entry(result, 'translated-by-owner').bibtex, /comment-alice|secret/, 'JabRef\'s comments of each user stay private');
    assert.deepEqual(await apa([entry(result, 'varda1962')]), ['Varda, A. (Director). (1962). Cléo de 5 à 7 [Video recording]. Ciné-Tamaris.']);
    assert.doesNotMatch(entry(result, 'doe2011').bibtex, /annote|comment|groups/, 'the owner\'s notes and filing stay private');
  });
});

describe('biblatex and repository exports', () => {
  it('Zotero\'s BibLaTeX, Better BibLaTeX, bioRxiv, SSRN, RePEc, Zenodo, CNKI, BibDesk: what each means', async () => {
    const result = await read('biblatex and repository exports.bib');
    assert.deepEqual(messages(result.warnings), [], '@inreference is a known type');
    const kinds = Object.fromEntries(result.publications.map((p) => [p.key, p.kind]));
    assert.deepEqual(
      ['vaswani_attention_2017', 'bbt-online-preprint', 'Smith2020.01.03.894123', 'ssrn-scholar', 'RePEc:nbr:nberwo:27000', 'zotero-encyclopedia', 'zotero-presentation'].map((key) => kinds[key]),
      ['preprint', 'preprint', 'preprint', 'preprint', 'report', 'chapter', 'presentation'],
    );
    assert.deepEqual([entry(result, 'zotero-presentation').venue?.text, toPublicationView(entry(result, 'zotero-presentation'), () => false).place], ['FOSDEM 2019', 'Brussels, Belgium'], 'a talk at its event, where the event was');
    const zotero = entry(result, 'vaswani_attention_2017');
    assert.deepEqual([zotero.links.map((link) => link.label), zotero.issue], [['arXiv'], undefined], 'its arXiv number is the preprint\'s, not an issue (and arXiv\'s DOI no second button)');
    const apaOf = async (key: string): Promise<string> => (await apa([entry(result, key)]))[0] ?? '';
    assert.match(await apaOf('Smith2020.01.03.894123'), /A bioRxiv Preprint\. bioRxiv\.$/, 'a preprint server publishes, it is no journal');
    assert.match(await apaOf('RePEc:nbr:nberwo:27000'), /\(Working Paper No\. W27000\)\. National Bureau of Economic Research\.$/);
    assert.match(await apaOf('zenodo-software'), /\(Version v1\.2\.0\)\. Zenodo\. https:\/\/doi\.org\/10\.5281\/zenodo\.1234567$/);
    assert.match(await apaOf('german-langid'), /Zeitschrift für die gesamte Staatswissenschaft\.$/, 'a German title is not title-cased');
    const report = scholarMetadata(toPublicationView(entry(result, 'RePEc:nbr:nberwo:27000'), () => false), undefined).meta;
    assert.ok(report.some((tag) => tag.name === 'citation_technical_report_number' && tag.content === 'w27000'));
    const cnki = entry(result, 'cnki');
    assert.deepEqual([cnki.authors.map(displayName), [...cnki.keywords].sort()], [['张三', '李四'], ['卷积神经网络', '图像识别', '深度学习'].sort()], 'family name first; full-width semicolons part keywords');
    assert.deepEqual([entry(result, 'edtf-season').year, entry(result, 'edtf-season').month], [2020, undefined], 'a season is no month');
    assert.doesNotMatch(entry(result, 'bibdesk-private').bibtex, /local-url|date-added|bdsk-file|rating/, 'private fields stay private');
  });
});

describe('edited books', () => {
  it('Zotero\'s Extra field, which its BibLaTeX export writes as annotation, is not shown as an annotation; its PubMed ids become links', async () => {
    const bib = [
      '@article{pmc, title = {A}, author = {Doe, J}, journal = {J}, year = 2024, annotation = {PMC11817613}}',
      '@phdthesis{accepted, title = {B}, author = {Doe, J}, school = {U}, year = 2021, annotation = {Accepted: 2021-09-24T19:03:53Z}}',
      '@article{lines, title = {C}, author = {Doe, J}, journal = {J}, year = 2020, annotation = {Citation Key: doe2020\nPMID: 12345}}',
      '@article{al-folio, title = {D}, author = {Doe, J}, journal = {J}, year = 2020, annotation = {Note: equal contribution}}',
    ].join('\n');
    const result = await readBibtex(bib, { file: 'z.bib' });
    const shown = (key: string): [string | undefined, string[]] => [entry(result, key).annotation?.text, entry(result, key).links.map((link) => link.href)];
    assert.deepEqual(shown('pmc'), [undefined, ['https://pmc.ncbi.nlm.nih.gov/articles/PMC11817613/']]);
    assert.deepEqual(shown('accepted'), [undefined, []]);
    assert.deepEqual(shown('lines'), [undefined, ['https://pubmed.ncbi.nlm.nih.gov/12345/']]);
    assert.deepEqual(shown('al-folio'), ['Note: equal contribution', []], 'an annotation with any other line is shown, as al-folio does');
  });

  it('hide_fields: a field named there is published nowhere (page, BibTeX, CSL-JSON, JSON-LD); keywords still tie entries to research projects', async () => {
    const bib = '@article{hidden,\n  title = {Hidden},\n  author = {Doe, Jane},\n  journal = {J},\n  year = {2020},\n  note = {Private note},\n  abstract = {Draft abstract},\n  keywords = {xen, _tablet},\n}\n';
    const [shown] = (await readBibtex(bib, { file: 'h.bib' })).publications;
    const [hidden] = (await readBibtex(bib, { file: 'h.bib', hiddenFields: ['Note', 'abstract', 'keywords'] })).publications;
    assert.ok(shown !== undefined && hidden !== undefined);
    assert.deepEqual([shown.note?.text, shown.abstract?.text, toCslItem(shown)['keyword']], ['Private note', 'Draft abstract', '_tablet, xen'], 'published when not hidden');
    assert.deepEqual([hidden.note, hidden.abstract, toCslItem(hidden)['keyword'], toCslItem(hidden)['note'], toCslItem(hidden)['abstract']], [undefined, undefined, undefined, undefined, undefined]);
    assert.doesNotMatch(hidden.bibtex, /note|abstract|keywords/);
    const view = toPublicationView(hidden, () => false);
    assert.deepEqual(view.keywords, ['_tablet', 'xen'], 'kept for the research page');
    assert.doesNotMatch(scholarMetadata(view, undefined).jsonLd, /keywords|_tablet/);
    assert.match(scholarMetadata(toPublicationView(shown, () => false), undefined).jsonLd, /"keywords":"_tablet, xen"/);
  });

  it('name their editors where the authors would be, "(ed.)" or "(eds.)" after them, "et al." kept, escaped in HTML', async () => {
    const result = await read('edited books.bib');
    const views = result.publications.map((p) => toPublicationView(p, ownerMatcher(['Nanos, Anastassios'])));
    assert.deepEqual(views.map((view) => creditLine(view)), ['Michael L. Brodie (ed.)', 'Richard Roe, et al. (eds.)', 'Smith & Sons, Ltd., Anastassios Nanos (eds.)']);
    assert.equal(views[2]?.creditHtml, 'Smith &amp; Sons, Ltd., <strong class="pub__me">Anastassios Nanos</strong> (eds.)');
    assert.deepEqual(scholarMetadata(views[0] as PublicationView, undefined).meta.filter((tag) => tag.name === 'citation_author').map((tag) => tag.content), ['Brodie, Michael L.'], 'an edited book is its editors\' to indexers, which want an author');
  });
});

describe('Web of Science', () => {
  it('values in two braces: the DOI and address are links, keywords are words, and an article shows no publisher\'s street address', async () => {
    const result = await read('web of science.bib');
    assert.deepEqual(messages(result.warnings), []);
    const article = entry(result, 'WOS:000612345600001');
    assert.equal(article.doi, '10.1016/j.physrep.2021.02.001');
    assert.deepEqual(article.links.map((link) => link.href), ['https://doi.org/10.1016/j.physrep.2021.02.001', 'https://www.sciencedirect.com/science/article/pii/S0370157321000612']);
    assert.deepEqual([...article.keywords].sort(), ['Graphene', 'Phonons', 'Thermal conductivity']);
    const view = toPublicationView(article, () => false);
    assert.equal([view.venue, view.details, view.place, view.date].filter(Boolean).join(', '), 'PHYSICS REPORTS-REVIEW SECTION OF PHYSICS LETTERS, vol. 912, no. 3, pp. 1–45, March 2021');
    assert.match((await apa([article]))[0] ?? '', /912\(3\), 1–45\. https:\/\/doi\.org\/10\.1016\/j\.physrep\.2021\.02\.001$/);
  });
});

describe('places', () => {
  it('a conference paper is placed where the conference was (ACM\'s location beside address, biblatex\'s venue); CSL keeps the publisher\'s place', async () => {
    const result = await read('conference places.bib');
    const shown = Object.fromEntries(result.publications.map((p) => [p.key, toPublicationView(p, () => false).place]));
    assert.deepEqual(shown, {
      'acm-location': 'Virtual Event, Ireland',
      'biblatex-venue': 'Porto, Portugal',
      'location-only': 'Bologna, Italy',
      'book-places': undefined,
    });
    assert.equal(toPublicationView(entry(result, 'book-places'), () => false).publisherPlace, 'New York, NY, USA', 'a book\'s place is its publisher\'s');
    const acm = toCslItem(entry(result, 'acm-location'));
    assert.deepEqual([acm['publisher-place'], acm['event-place']], ['New York, NY, USA', 'Virtual Event, Ireland']);
    const [harvard] = await formatItems({ items: [acm], template: 'harvard1' });
    assert.match(harvard ?? '', /New York, NY, USA: Association for Computing Machinery/, 'the publisher with its own city');
  });
});

describe('article numbers and pages', () => {
  const file = 'article numbers and page identifiers.bib';
  const scholarPages = (publication: Publication): string[] =>
    scholarMetadata(toPublicationView(publication, () => false), undefined)
      .meta.filter((tag) => /^citation_(volume|issue|firstpage|lastpage)$/.test(tag.name))
      .map((tag) => `${tag.name}=${tag.content}`);

  it('an article number (biblatex eid, ACM articleno, MDPI article-number) is shown, given to indexers and cited', async () => {
    const result = await read(file);
    const numbers = ['mdpi-article-number', 'acm-articleno', 'acm-paper-articleno', 'biblatex-eid', 'scopus-art-number'].map((key) => entry(result, key).articleNumber);
    assert.deepEqual(numbers, ['1136', '47', '112', '046601', '1234']);
    const ads = entry(result, 'ads-eid-as-pages');
    assert.equal(toPublicationView(ads, () => false).details, 'vol. 100, art. no. 106990A', 'NASA ADS\'s eid, the same as its pages, is said once');
    assert.doesNotMatch((await apa([ads]))[0] ?? '', /Article|No\./);
    const mdpi = entry(result, 'mdpi-article-number');
    assert.equal(toPublicationView(mdpi, () => false).details, 'vol. 21, no. 4, art. no. 1136');
    assert.deepEqual(scholarPages(mdpi), ['citation_volume=21', 'citation_issue=4', 'citation_firstpage=1136'], 'an article without pages is found by its number');
    assert.equal(toPublicationView(entry(result, 'acm-paper-articleno'), () => false).details, 'art. no. 112, 18 pp.');
    const [mdpiApa, acmApa, paperApa, eidApa] = await apa(['mdpi-article-number', 'acm-articleno', 'acm-paper-articleno', 'biblatex-eid'].map((key) => entry(result, key)));
    assert.match(mdpiApa ?? '', /Sensors, 21\(4\), Article 1136\. https:\/\/doi\.org\/10\.3390\/s21041136$/);
    assert.match(acmApa ?? '', /Technol\., 2\(1\), Article 47\.$/);
    assert.match(paperApa ?? '', /Human Factors in Computing Systems, Article 112\.$/);
    assert.match(eidApa ?? '', /Physical Review Letters, 120, Article 046601\.$/);
  });

  it('an article number written as the pages (Elsevier, Wiley, IOP) is shown as one; a short one stays a page', async () => {
    const result = await read(file);
    const details = (key: string): string | undefined => toPublicationView(entry(result, key), () => false).details;
    assert.equal(details('elsevier-pages-article-number'), 'vol. 172, art. no. 111923', 'no volume has page 111,923');
    assert.equal(details('wiley-e-number'), 'vol. 1, no. 2, art. no. e70077');
    assert.equal(details('mdpi-short-pages'), 'vol. 11, no. 4, p. 801', 'MDPI\'s article 801 cannot be told from a page 801');
    assert.equal(details('one-page'), 'vol. 47, p. 777');
    assert.deepEqual(scholarPages(entry(result, 'elsevier-pages-article-number')), ['citation_volume=172', 'citation_firstpage=111923'], 'indexers find it as its first page, as before');
    assert.equal(toCslItem(entry(result, 'wiley-e-number'))['page'], 'e70077', 'citations get the pages as written');
  });

  it('a work\'s length (ACM numpages, biblatex pagetotal) is shown where its pages are not, cited, and given to indexers for a book', async () => {
    const result = await read(file);
    const details = (key: string): string | undefined => toPublicationView(entry(result, key), () => false).details;
    assert.equal(details('acm-articleno'), 'vol. 2, no. 1, art. no. 47, 25 pp.');
    assert.equal(details('acm-pages-and-numpages'), 'pp. 2003–2012', 'pages say where and how long: the count is not repeated');
    assert.equal(details('biblatex-pagetotal'), 'xii + 350 pp.');
    assert.equal(details('pagetotal-with-unit'), '840 pp.', 'German "S." (Seiten) is the list\'s "pp."');
    assert.equal(details('pagetotal-not-a-number'), undefined, 'a length that is not a number of pages is not shown as one');
    assert.equal(toCslItem(entry(result, 'acm-articleno'))['number-of-pages'], '25');
    const jsonLd = (key: string): Record<string, unknown> => JSON.parse(scholarMetadata(toPublicationView(entry(result, key), () => false), undefined).jsonLd) as Record<string, unknown>;
    assert.equal(jsonLd('pagetotal-with-unit')['numberOfPages'], 840);
    assert.equal(jsonLd('biblatex-pagetotal')['numberOfPages'], undefined, 'schema.org wants a whole number');
    assert.equal(jsonLd('acm-articleno')['numberOfPages'], undefined, 'an article is no Book');
  });

  it('several page ranges each get an en dash, and a page identifier with hyphens stays as written, cited too', async () => {
    const result = await read(file);
    const identifier = entry(result, 'page-identifier');
    const ranges = entry(result, 'several-ranges');
    assert.deepEqual([identifier.pages, ranges.pages, entry(result, 'thousands').pages, entry(result, 'abstract-number').pages], ['P5-12-05', '1–5, 9–12', '1,234–1,240', 'PS9-03']);
    assert.equal(toCslItem(identifier)['page'], 'P5-12-05', 'CSL-JSON, as /publications.json gives it, has the pages as they are');
    assert.equal(toPublicationView(identifier, () => false).details, 'vol. 79, no. 4 Supplement, p. P5-12-05');
    assert.equal(toPublicationView(ranges, () => false).details, 'vol. 3, pp. 1–5, 9–12');
    assert.deepEqual(scholarPages(ranges), ['citation_volume=3', 'citation_firstpage=1', 'citation_lastpage=12']);
    assert.deepEqual(scholarPages(identifier), ['citation_volume=79', 'citation_issue=4 Supplement', 'citation_firstpage=P5-12-05']);
    const [identifierApa, rangesApa] = await apa([identifier, ranges]);
    assert.match(identifierApa ?? '', /79\(4 Supplement\), P5-12-05\.$/, 'citeproc reads no range into it');
    assert.match(rangesApa ?? '', /Journal of Things, 3, 1–5, 9–12\.$/);
  });
});

describe('al-folio papers.bib works unchanged', () => {
  const assets = { contentDir: path.join(fixtures, 'site'), folders: ['assets/pdf', 'assets'] };

  it('a file whose name has spaces is one file, written with them or escaped', async () => {
    const result = await readBibtex(
      ['@misc{spaces, title = {A}, year = 2020, pdf = {a paper with spaces.pdf}}', '@misc{escaped, title = {B}, year = 2020, pdf = {a%20paper%20with%20spaces.pdf}}', '@misc{missing, title = {C}, year = 2020, slides = {no such slides.pdf}}', ''].join('\n'),
      { file: 'spaces.bib', assets },
    );
    assert.deepEqual(['spaces', 'escaped'].map((key) => entry(result, key).links.map((link) => link.href)), [['/assets/pdf/a%20paper%20with%20spaces.pdf'], ['/assets/pdf/a%20paper%20with%20spaces.pdf']]);
    assert.deepEqual(messages(result.errors), ['spaces.bib:3 (missing): slides names the file "no such slides.pdf", which is not in content/assets/pdf/ or content/assets/; add the file or fix the name']);
  });

  it('reads front matter lines, custom fields and link buttons in order; relative files resolve to assets', async () => {
    const result = await read('al-folio fields.bib', assets);
    assert.deepEqual(result.errors, []);
    const paper = entry(result, 'alfolio');
    assert.equal(paper.line, 4);
    assert.deepEqual([paper.abbr, paper.selected, paper.award], ['PR', true, 'Best Paper Award']);
    assert.deepEqual([paper.preview, paper.annotation?.text, paper.additionalInfo?.text], ['/assets/img/publication_preview/epr.png', 'A note for the site only.', '. Also an extra line.']);
    assert.equal(paper.abstract?.text, 'In a complete theory there is an element corresponding to each element of reality.');
    assert.deepEqual(paper.links.map((link) => `${link.label} ${link.href}`), [
      'PDF /assets/pdf/example_pdf.pdf',
      'DOI https://doi.org/10.1103/PhysRev.47.777',
      'arXiv https://arxiv.org/abs/quant-ph/0000000',
      'HAL https://hal.science/hal-00000000',
      'HTML https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777',
      'Supplement https://example.org/supp',
      'Code https://github.com/example/code',
      'Slides /assets/slides/epr.pdf',
      'Poster https://example.org/poster.pdf',
      'Video https://www.youtube.com/watch?v=abc',
      'Website https://example.org/',
      'Blog https://example.org/blog',
    ]);
    // An address written as LaTeX prints it is the address.
    assert.deepEqual(entry(result, 'alfolio-url-command').links.map((link) => `${link.label} ${link.href}`), ['HTML https://example.org/paper', 'Code https://github.com/example/tool']);
  });

  it('reads a control character (a NUL, a bell, an escape) as a space, with a warning at its line: HTML cannot hold one', async () => {
    const result = await read('control characters.bib');
    const paper = entry(result, 'controls');
    assert.equal(paper.title.text, 'Nul byte and bell and [31m escape');
    assert.doesNotMatch(paper.bibtex, /[\u0000-\u0008\u001B]/);
    assert.deepEqual(result.warnings.map((warning) => `${warning.line}: ${warning.message}`), ['3: a control character (U+0000, and others after it) is read as a space; it is invisible, and often comes from a copy and paste']);
  });

  it('leaves JabRef\'s own settings (@Comment{jabref-meta: ...}, its groups) alone: the parser stopped with a TypeError on some', async () => {
    const result = await read('jabref groups.bib');
    assert.deepEqual([result.errors, result.warnings], [[], []]);
    assert.deepEqual(result.publications.map((publication) => publication.key), ['a2020']);
    assert.equal(entry(result, 'a2020').title.text, 'A (first) paper');
  });

  it('reads a comment inside an entry as nothing: the published BibTeX has neither it nor the private fields beside it', async () => {
    const result = await read('comments inside entries.bib');
    assert.deepEqual(result.errors, []);
    assert.equal(entry(result, 'trailing-comment').bibtex, [
      '@article{trailing-comment,',
      '  author  = {Doe, Jane},',
      '  title   = {Trailing comment},',
      '  journal = {Journal of Tests},',
      '  year    = {2020},',
      '}',
      '',
    ].join('\n'));
    const lines = entry(result, 'comment-lines');
    assert.equal(lines.bibtex, [
      '@inproceedings{comment-lines,',
      '  author    = {Roe, Richard},',
      '  title     = {Whole-line comments, and 50% of a value},',
      '  booktitle = {Proceedings of {CONF}},',
      '  year      = 2021,',
      '  url       = {https://example.org/a%20b},',
      '}',
      '',
    ].join('\n'), 'a "%" inside braces is the value\'s own');
    assert.equal(lines.title.text, 'Whole-line comments, and 50% of a value');
  });

  it('writes a value\'s further lines under its first, as its field is aligned anew (DBLP indents them for its own layout)', async () => {
    const source = [
      '@article{DBLP:journals/x/DoeR26,',
      '  author       = {Jane Doe and',
      '                  Richard Roe},',
      '  title        = {A title that an export',
      '                  wraps},',
      '  abstract     = "First paragraph,',
      '    its second line.',
      '',
      'Second paragraph.",',
      '  url          = {https://example.org/a',
      '                  b},',
      '  year         = {2026}',
      '}',
      '',
    ].join('\n');
    const { publications } = await readBibtex(source, { file: 'dblp.bib' });
    assert.equal(publications[0]?.bibtex, [
      '@article{DBLP:journals/x/DoeR26,',
      '  author   = {Jane Doe and',
      '              Richard Roe},',
      '  title    = {A title that an export',
      '              wraps},',
      '  abstract = "First paragraph,',
      '              its second line.',
      '',
      '              Second paragraph.",',
      '  url      = {https://example.org/a',
      '                  b},',
      '  year     = {2026},',
      '}',
      '',
    ].join('\n'), 'a blank line stays blank; an address stays as written');
  });

  it('shows clean BibTeX: display-only and private fields removed, the rest as written', async () => {
    const paper = entry(await read('al-folio fields.bib', assets), 'alfolio');
    assert.equal(paper.bibtex, [
      '@article{alfolio,',
      '  title     = {Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?},',
      '  author    = {Einstein, Albert and Podolsky, Boris and Rosen, Nathan},',
      '  journal   = {Phys. Rev.},',
      '  volume    = {47},',
      '  issue     = {10},',
      '  pages     = {777--780},',
      '  year      = {1935},',
      '  publisher = {American Physical Society},',
      '  abstract  = {In a complete theory there is an element corresponding to each element of reality.},',
      '  doi       = {10.1103/PhysRev.47.777},',
      '  arxiv     = {quant-ph/0000000},',
      '}',
      '',
    ].join('\n'));
  });

  it('a missing file is an error naming the key', async () => {
    const result = await read('al-folio fields.bib', { contentDir: path.join(fixtures, 'nowhere'), folders: ['assets/pdf', 'assets'] });
    assert.deepEqual(messages(result.errors).map((m) => m.replace(/, which.*/, '')), [
      'al-folio fields.bib:4 (alfolio): pdf names the file "example_pdf.pdf"',
      'al-folio fields.bib:4 (alfolio): slides names the file "slides/epr.pdf"',
      'al-folio fields.bib:4 (alfolio): preview names the image "epr.png"',
    ]);
  });
});

describe('files that must build, with warnings where something was guessed', () => {
  it('a UTF-8 BOM and CRLF line endings', async () => {
    const result = await read('bom and crlf.bib');
    assert.equal(entry(result, 'bom').title.text, 'With BOM and CRLF');
    assert.equal(entry(result, 'bom').line, 1);
  });

  it('an empty file and a file with only @string, @comment and @preamble', async () => {
    for (const name of ['empty.bib', 'only strings.bib']) {
      const result = await read(name);
      assert.deepEqual([result.publications.length, result.errors.length, result.warnings.length], [0, 0, 0], name);
    }
  });

  it('an unknown entry type (shown like @misc) and a repeated field (the first one wins)', async () => {
    const result = await read('unknown type and repeated field.bib');
    assert.equal(entry(result, 'unknown-type').kind, 'other');
    assert.equal(entry(result, 'repeated').title.text, 'First title');
    assert.deepEqual(messages(result.warnings), [
      'unknown type and repeated field.bib:1 (unknown-type): unknown entry type @weird: shown like @misc',
      'unknown type and repeated field.bib:2 (repeated): the field title appears twice; the first one is used',
    ]);
  });
});

describe('bibliography errors name the file, the line of the entry and its key', () => {
  it('an unclosed brace in the middle of the file, with the entries around it still read', async () => {
    const result = await read('unclosed brace mid-file.bib');
    assert.match(messages(result.errors)[0] ?? '', /^unclosed brace mid-file\.bib:7 \(broken\): invalid BibTeX in this entry/);
    assert.deepEqual(result.publications.map((p) => p.key), ['good1', 'good2']);
  });

  it('one DOI under two keys warns at the second: the work is listed twice', async () => {
    const result = await readBibtex([
      '@article{scholar2020, author = {Doe, Jane}, title = {A Paper}, journal = {J}, year = 2020, doi = {10.1000/ABC}}',
      '@article{Doe2020Paper, author = {Doe, Jane}, title = {A paper}, journal = {J}, year = 2020, doi = {https://doi.org/10.1000/abc}}',
      '@inproceedings{child, author = {Doe, Jane}, title = {C}, crossref = {volume}}',
      '@proceedings{volume, editor = {Doe, Jane}, title = {Proceedings}, year = 2020, doi = {10.1000/volume}}',
      '',
    ].join('\n'), { file: 'merged.bib' });
    assert.deepEqual(messages(result.warnings), ['merged.bib:2 (Doe2020Paper): has the DOI of scholar2020 (line 1), so one work is listed twice: remove one of the two entries, or correct its doi'], 'a crossref child with its volume\'s DOI is no repeat');
    const child = entry(result, 'child');
    assert.deepEqual([child.doi, child.links], [undefined, []], 'the volume\'s DOI is not the paper\'s: not cited, linked or given to indexers as its own');
    assert.match(child.bibtex, /doi\s*=\s*\{10\.1000\/volume\}/, 'its BibTeX, standing alone, has what BibTeX would inherit');
  });

  it('duplicate keys, including keys that differ only in case, with both lines', async () => {
    const result = await read('duplicate keys differing in case.bib');
    assert.match(messages(result.errors)[0] ?? '', /^duplicate keys differing in case\.bib:7 \(smith2020\): duplicate key: line 1 uses it already/);
  });

  it('a file that is not UTF-8, with the line and column of the first bad byte', async () => {
    await assert.rejects(loadBibliography(fixtures, 'latin-1 bytes.bib'), (error: unknown) => {
      assert.ok(error instanceof BibliographyError);
      assert.match(error.message, /^latin-1 bytes\.bib:2:14 \(latin1\): the file is not valid UTF-8.*re-save it as UTF-8/);
      return true;
    });
  });

  it('a missing file', async () => {
    await assert.rejects(loadBibliography(fixtures, 'nope.bib'), /^BibliographyError: nope\.bib: cannot read the bibliography: file not found/);
  });

  it('braces nested thousands deep: an error at the line where they nest, not a stack overflow; a few hundred levels are still read', async () => {
    const nested = (depth: number): string => `@misc{fine, title = {Fine}}\n\n@article{deep,\n  author = {Doe, Jane},\n  title = {${'{'.repeat(depth)}x${'}'.repeat(depth)}},\n}\n`;
    for (const depth of [6000, 50000]) {
      const result = await readBibtex(nested(depth), { file: 'deep.bib' });
      assert.deepEqual(messages(result.errors), ['deep.bib:5 (deep): braces nested thousands deep in this entry, more than can be read: look for "{" repeated by mistake'], `${depth} levels`);
    }
    const inString = await readBibtex(`@misc{fine, title = {Fine}}\n\n@string{deep = {${'{'.repeat(6000)}x${'}'.repeat(6000)}}}\n`, { file: 'deep.bib' });
    assert.deepEqual(messages(inString.errors), ['deep.bib:3 (undefined): braces nested thousands deep, more than can be read: look for "{" repeated by mistake'], 'in a @string, which the parser does not catch itself');
    const read300 = await readBibtex(nested(300), { file: 'deep.bib' });
    assert.deepEqual(read300.errors, []);
    assert.equal(entry(read300, 'deep').title.text, 'x');
  });
});

describe('slugs for citation keys', () => {
  it('are URL-safe, unique and do not depend on the order of the file', async () => {
    const result = await read('keys needing slugs.bib');
    const slugs = Object.fromEntries(result.publications.map((p) => [p.key, p.id]));
    assert.deepEqual(slugs, { 'Ünïcode:2020/a': 'unicode-2020-a-5de72a', 'unicode-2020-a': 'unicode-2020-a-ea57d5', noyear: 'noyear' }, 'two keys that would share an address each get one of their own (see test/stable-addresses.test.ts)');
    const forward = assignSlugs(['a b', 'a-b', 'A B']);
    const backward = assignSlugs(['A B', 'a-b', 'a b']);
    assert.deepEqual([...forward].sort(), [...backward].sort());
    assert.equal(new Set(forward.values()).size, 3);
  });
});

describe('the example bibliography', () => {
  it('reads all 18 entries with their kinds, years and venues, and the line of each', async () => {
    const { publications, warnings } = await loadBibliography(exampleRoot, 'publications.bib');
    assert.equal(publications.length, 18);
    assert.deepEqual(warnings, []);
    const thesis = publications.find((p) => p.key === 'nanos2013phd');
    assert.deepEqual([thesis?.kind, thesis?.year, thesis?.month, thesis?.venue?.text], ['thesis', 2013, 12, 'PhD thesis, National Technical University of Athens']);
    assert.equal(publications.filter((p) => p.kind === 'presentation').length, 7);
    const text = await readFile(path.join(exampleRoot, 'publications.bib'), 'utf8');
    for (const p of publications) assert.ok((text.split('\n')[p.line - 1] ?? '').includes(`{${p.key},`), `line ${p.line} starts ${p.key}`);
  });
});

describe('finding entry starts', () => {
  it('skips % comment lines and @string/@comment/@preamble', () => {
    const starts = scanEntryStarts('% @article{fake,\n@string{x = "y"}\n@comment{c}\n  @Article{real,\n}');
    assert.deepEqual(starts.map(({ entryType, key, line }) => ({ entryType, key, line })), [{ entryType: 'article', key: 'real', line: 4 }]);
  });

  it('an @ starts an entry only after nothing but spaces, tabs and carriage returns on its line; lines count \\n alone', () => {
    const text = [
      '@book{first, author = {a@b.org}}', // line 1; the second @ is inside the line
      ' \t@misc{indented,', // line 2
      'note = {x} @inproceedings{inline,', // line 3: not at the start of its line
      '\u00a0@misc{nbsp,', // line 4: a no-break space is text, not indentation
      '\r@misc{afterReturn,\r', // line 5 (a lone \r ends no line)
      '  % @misc{commented,', // line 6
      '@', // line 7: an @ with nothing after it
      '@comment{c}', // line 8
      '@ARTICLE ( last ,', // line 9
    ].join('\n');
    const found = (directives: boolean): string[] => scanEntryStarts(text, { directives }).map(({ entryType, key, line, offset }) => `${line}:${entryType}:${key}:${text[offset]}`);
    assert.deepEqual(found(false), ['1:book:first:@', '2:misc:indented:@', '5:misc:afterReturn:@', '9:article:last:@']);
    assert.deepEqual(found(true), ['1:book:first:@', '2:misc:indented:@', '5:misc:afterReturn:@', '8:comment:c:@', '9:article:last:@']);
  });

  it('splits an entry into its fields as written, through braces, quotes, escapes and parentheses', () => {
    const source = '@Misc( Key ,\n  Title = {A {B}, c\\} d} , note="x, {y}" # macro,\n\tyear\t=\t2020 )\n% after';
    const entry = splitEntrySource(source);
    assert.deepEqual(entry?.fields.map(({ name, value }) => [name, value]), [['title', '{A {B}, c\\} d}'], ['note', '"x, {y}" # macro'], ['year', '2020']]);
    assert.equal(entry?.key, 'Key');
    assert.equal(entry?.entryType, 'misc');
    assert.equal(source.slice(0, entry?.end), source.slice(0, source.indexOf(')') + 1));
    assert.equal(splitEntrySource('@misc{k, title = {unclosed'), undefined);
    assert.equal(splitEntrySource('@misc{k, title {no equals sign}}'), undefined);
  });
});

describe('recognising the owner in author lists', () => {
  const isOwner = ownerMatcher(['Nanos, Anastassios']);
  it('matches full names, initials and accented spellings', () => {
    assert.ok(isOwner({ given: 'Anastassios', family: 'Nanos' }));
    assert.ok(isOwner({ given: 'A.', family: 'Nanos' }));
    assert.ok(isOwner({ given: 'Anastássios', family: 'Nános' }));
  });
  it('does not match other people with the same family name or initial', () => {
    assert.ok(!isOwner({ given: 'Bob', family: 'Nanos' }));
    assert.ok(!isOwner({ given: 'Anastassios', family: 'Nano' }));
    assert.ok(!isOwner({ given: 'Andreas', family: 'Nanos' }), 'a given name written out is compared whole, not by its initial');
  });
  it('two given names written out must be the same; an initial or abbreviation stands for any name it begins', () => {
    const isZeLi = ownerMatcher(['Li, Ze']);
    assert.deepEqual(['Ze', 'Z.', 'Z', 'Ze-Hua', 'Zhuozhao', 'Zh.', 'Zhou Ze'].map((given) => isZeLi({ given, family: 'Li' })), [true, true, true, true, false, false, false]);
    const isPeters = ownerMatcher(['Andres Peters']);
    assert.deepEqual(['AA', 'A. A.', 'Andres A.', 'And.', 'Alberto', 'BA'].map((given) => isPeters({ given, family: 'Peters' })), [true, true, true, true, false, false], 'capitals written together are initials');
    assert.ok(isOwner({ given: 'Anastassios N.', family: 'Nanos' }), 'the first given name decides');
    assert.ok(isOwner({ given: 'ANASTASSIOS', family: 'NANOS' }), 'a name in capitals is the same name');
    assert.ok(ownerMatcher(['Jean Marshall-Roth'])({ given: 'Jean', family: 'Marshall-Roth' }), 'a hyphenated family name written "Given Family"');
  });
  it('accepts variants written "Given Family" and family names with particles', () => {
    assert.ok(ownerMatcher(['Ji-woo Kim'])({ given: 'J.', family: 'Kim' }));
    assert.ok(ownerMatcher(['van der Berg, Jan'])({ given: 'Jan', family: 'Berg', prefix: 'van der' }));
  });
  it('gives each name its own answer when asked again (a name is folded once per matcher)', () => {
    const matcher = ownerMatcher(['Nanos, Anastassios', 'Berg, Jan']);
    const people = [
      [{ given: 'Anastassios', family: 'Nanos' }, true],
      // The same letters split otherwise between the parts: other people.
      [{ given: 'AnastassiosNa', family: 'nos' }, false],
      [{ given: 'Anastassios', prefix: 'Na', family: 'nos' }, false],
      [{ literal: 'Nanos' }, true],
      [{ literal: 'AnastassiosNanos' }, false],
      [{ given: 'Jan', family: 'Berg' }, true],
      [{ given: 'Ja', family: 'nBerg' }, false],
      [{ given: 'Jan', prefix: 'van den', family: 'Berg' }, true],
    ] as const;
    for (let round = 0; round < 2; round++) {
      for (const [person, expected] of people) assert.equal(matcher(person), expected, `${JSON.stringify(person)}, round ${round + 1}`);
    }
  });
});

describe('every problem in the file at once', () => {
  it('a syntax error, a duplicate key and a missing file, sorted by line, each naming its entry', async () => {
    const result = await read('several problems.bib', { contentDir: path.join(fixtures, 'site'), folders: ['assets/pdf', 'assets'] });
    assert.deepEqual(result.errors.map((p) => `${p.line} ${p.key}`), ['3 broken', '8 First', '10 nopdf']);
    await assert.rejects(loadBibliography(fixtures, 'several problems.bib', { contentDir: 'site' }), (error: unknown) => {
      assert.ok(error instanceof BibliographyError);
      assert.match(error.message.split('\n')[0] ?? '', /^several problems\.bib:3 \(broken\): invalid BibTeX in this entry.* \(and 2 more problems\)$/);
      assert.equal(error.message.split('\n').length, 3);
      return true;
    });
  });
});
