import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { splitEntrySource } from '../src/bibliography/bibtex-source.ts';
import { crossrefRules, MONTH_MACROS, NON_STANDARD_MONTHS, parseAsWritten, parseText, parseWithSimpleFields } from '../src/bibliography/parse-entries.ts';
import { readSimpleEntries, readStringsAlone } from '../src/bibliography/simple-entries.ts';
import { readableText } from '../src/bibliography/read-bibtex.ts';
import { scanEntryStarts } from '../src/bibliography/scan-entries.ts';
import { CREATOR_FIELDS, decodeSimpleField, readSimpleField, SIMPLE_FIELDS, substituteSimpleFields } from '../src/bibliography/simple-fields.ts';
import { exampleRoot, repoRoot } from './helpers/project.ts';

/** What the BibTeX parser itself makes of a field: the specification the fast path is held to. */
async function parserField(value: string, field = 'title'): Promise<unknown> {
  return ((await parseAsWritten(`@misc{probe, ${field} = {${value}}}`)).entries[0]?.fields as Record<string, unknown> | undefined)?.[field];
}

/** Whole entries read without the parser, with the month macros the parser is given. */
function readWholeEntries(text: string): ReturnType<typeof readSimpleEntries> {
  return readSimpleEntries(text, { ...MONTH_MACROS, ...NON_STANDARD_MONTHS });
}

/** The parse with the fast paths is the parser's own, serialised (so in the same order). */
async function assertParsedAsByParser(text: string): Promise<void> {
  assert.equal(JSON.stringify(await parseText(text)), JSON.stringify(await parseAsWritten(text)));
}

/** Every BibTeX file the other tests read: quirks, errors, real exports; and a generated one. */
async function bibliographies(): Promise<Array<{ name: string; text: string }>> {
  const found: Array<{ name: string; text: string }> = [];
  for (const folder of ['test/fixtures/bibtex', 'test/fixtures/corpus', 'test/fixtures/bad-bibtex']) {
    for (const name of (await readdir(path.join(repoRoot, folder))).filter((file) => file.endsWith('.bib')).sort()) {
      // As the engine gives a file to either reading (control characters and JabRef's settings blanked).
      const text = readableText(new TextDecoder('utf-8', { fatal: false }).decode(await readFile(path.join(repoRoot, folder, name))), name).text;
      found.push({ name: `${folder}/${name}`, text });
    }
  }
  found.push({ name: 'the example site\'s publications.bib', text: await readFile(path.join(exampleRoot, 'publications.bib'), 'utf8') });
  found.push({ name: 'generated, 1,000 entries', text: generateBibliography(1000) });
  return found;
}

describe('simple fields, read without the LaTeX grammar', () => {
  it('reads accents, dotless letters, ligatures, symbols and simple math as the parser does, character for character', async () => {
    const values = [
      '{\\"U}ber W{\\"a}rme', 'na{\\"\\i}ve', 'na\\"{\\i}ve', 'na\\"\\i ve', "Mart{\\'\\i}nez", "Tom{\\'{a}}s Cern{\\'{y}}", '\\c c and \\c{C}',
      'Dvo{\\v{r}}{\\\'a}k', '\\~n\\=a\\.z\\u{g}\\H{o}\\k{a}\\r{a}', 'Kj{\\ae}rgaard', 'Stra\\ss e, \\ss{}e, \\o{} \\O{} \\l', 'A \\& B, 50\\%, \\#1, \\$5, a\\_b',
      'pages 101--111, a---b, ``quoted\'\'', '<<guillemets>> and a<b', 'non~breaking', 'thin\\,space', '$10\\times$ faster', '$O(n^2)$ and $n^{10}$',
      '$\\alpha\\beta$-tests', '$f\'$', '$a - b$', '{Myrinet} over {HPC}', 'Xin{-}She', '  padded  \n  across lines  ', 'tab\tseparated', 'I/O (and) [more]!?',
      'Γιώργος Παπαδόπουλος', 'Schrödinger’s cat', '\uE1000\uE101 math placeholder',
    ];
    for (const value of values) {
      const decoded = readSimpleField(value);
      assert.equal(typeof decoded, 'string', `${JSON.stringify(value)} should be read, not ${JSON.stringify(decoded)}`);
      assert.equal(decoded, await parserField(value), JSON.stringify(value));
    }
    // As the parser gives them: accents as a letter and a combining mark, dashes as dashes.
    assert.equal(decodeSimpleField('{\\"U}ber'), 'U\u0308ber');
    assert.equal(decodeSimpleField('na{\\"\\i}ve'), 'na\u0131\u0308ve');
    assert.equal(decodeSimpleField('101--111'), '101\u2013111');
    assert.equal(decodeSimpleField('$O(n^2)$'), 'O(n\u00b2)');
  });

  it('leaves to the parser what it does not read: commands with arguments or unknown, markup, breaks, stray characters', () => {
    const declined = [
      '\\emph{x}', '\\textbf{bold}', '\\url{https://example.org}', '\\foo bar', '{\\em emphasis}', 'a\\\\b', 'x & y', '50% off', '#1',
      'one\n\ntwo paragraphs', '$$x$$', '$x_i^2$', '$\\hat{x}$', '$\\frac{1}{2}$', '{unclosed', 'a}b', '\\"', "\\'{}", '\\"-', '\\{braces\\}', '   ', '',
      'a\\:b', 'a^2 outside math', 'x_1',
    ];
    for (const value of declined) assert.equal(decodeSimpleField(value), undefined, JSON.stringify(value));
    // An unknown command stays the parser's, which reports it.
    assert.deepEqual(readSimpleField('\\foo bar'), { declined: '\\foo' });
  });

  it('reads lists of people as the parser does: "Last, First", "First von Last", suffixes, particles, whole names in braces', async () => {
    const values = [
      'Nanos, Nectarios and Koziris, Nectarios', 'Jos{\\\'e} de la Fontaine and van der Berg, Maria', 'Smith, Jr., John and Smith, Jr, J.',
      'Mart{\\\'\\i}nez, Anton{\\\'\\i}n and M{\\"u}ller, J{\\"o}rg', '{De Sanctis}, Ivano and Ivano {De Sanctis}', '{Barnes and Noble}',
      "O'Neil, Tip and d'Alembert, Jean", 'Xin{-}She Yang and Jean-Paul Sartre', 'Kj{\\ae}rgaard, Mikkel B.', 'Γιώργος Παπαδόπουλος and Ng, Søren',
      'Smith, John and others', 'Ludwig van Beethoven and {\\"O}zt{\\"u}rk, Ay{\\c{s}}e', '  Doe,  Jane\n   and Roe, Richard  ', 'Madonna', 'A and AND B',
      'Smith, John,', 'de la Fontaine, Jean, Jr',
    ];
    for (const value of values) {
      const decoded = readSimpleField(value, 'author');
      assert.ok(Array.isArray(decoded), `${JSON.stringify(value)} should be read, not ${JSON.stringify(decoded)}`);
      assert.deepEqual(decoded, await parserField(value, 'author'), JSON.stringify(value));
    }
    assert.deepEqual(decodeSimpleField('van der Berg, Maria and Jos{\\\'e} de la Fontaine', 'editor'), [
      { lastName: 'Berg', firstName: 'Maria', prefix: 'van der' },
      { firstName: 'Jose\u0301', prefix: 'de la', lastName: 'Fontaine' },
    ]);
    // biblatex's extended names, and names in more than three parts, stay the parser's.
    assert.equal(decodeSimpleField('family=Smith, given=John', 'author'), undefined);
    assert.equal(decodeSimpleField('One, Two, Three, Four', 'author'), undefined);
  });

  it('gives a whole file exactly the parse the parser gives it alone, entries, inputs, errors and unknown commands included', async () => {
    let read = 0;
    for (const { name, text } of await bibliographies()) {
      const expected = await parseAsWritten(text);
      assert.deepEqual(await parseText(text), expected, name);
      const fast = await parseWithSimpleFields(text);
      if (fast !== undefined) {
        assert.deepEqual(fast, expected, name);
        // Fields put back in the order the parser gives them, too.
        assert.equal(JSON.stringify(fast), JSON.stringify(expected), name);
        read++;
      }
    }
    // The fast path is taken for every well-formed file with such fields (not just safely skipped).
    assert.ok(read >= 20, `the fast path was taken for ${read} files`);
  });

  it('reads nearly every title, abstract, venue and list of authors in the real-world corpus and the generated file', async () => {
    let fields = 0;
    let decoded = 0;
    for (const { name, text } of (await bibliographies()).filter((file) => /corpus|generated|example/.test(file.name))) {
      const starts = scanEntryStarts(text);
      for (const [index, start] of starts.entries()) {
        const entry = splitEntrySource(text.slice(start.offset, starts[index + 1]?.offset ?? text.length));
        for (const field of entry?.fields ?? []) {
          if (!(SIMPLE_FIELDS.has(field.name) || CREATOR_FIELDS.has(field.name)) || !/^\{[\s\S]*\S[\s\S]*\}$/.test(field.value)) continue;
          fields++;
          if (decodeSimpleField(field.value.slice(1, -1), field.name) !== undefined) decoded++;
        }
      }
      assert.ok(substituteSimpleFields(text).values.size > 0, name);
    }
    assert.ok(decoded / fields > 0.97, `${decoded} of ${fields} fields read`);
  });

  it('keeps line numbers: a substituted text has the same lines, so errors would point to the same place', async () => {
    for (const { name, text } of await bibliographies()) {
      const { text: substituted } = substituteSimpleFields(text);
      assert.equal(substituted.split('\n').length, text.split('\n').length, name);
    }
  });

  it('takes fields out of the parser\'s sight where it copies none (crossref), and only whole lines', async () => {
    const text = [
      '@proceedings{parent, title = {Proceedings of {SOSP}}, year = {2019}}',
      '@inproceedings{child,',
      '  author = {Doe, Jane},',
      '  title = {A {\\"U}ber Paper},',
      '  crossref = {parent},',
      '}',
      '@article{alone,',
      '  author = {Roe, Richard},',
      '  title = {Alone, on its line}, journal = {Shares a line}',
      '}',
      '',
    ].join('\n');
    const { values, text: substituted } = substituteSimpleFields(text);
    const how = Object.fromEntries([...values.values()].map((value) => [JSON.stringify(value.decoded), value.removed ? 'comment' : 'token']));
    assert.deepEqual(how, {
      '"Proceedings of SOSP"': 'token', // a crossref parent: the parser copies its fields
      '[{"lastName":"Doe","firstName":"Jane"}]': 'token', // a crossref child
      '"A U\u0308ber Paper"': 'token',
      '[{"lastName":"Roe","firstName":"Richard"}]': 'comment',
      '"Alone, on its line"': 'token', // another field follows on its line
      '"Shares a line"': 'comment',
    });
    assert.equal(substituted.split('\n').length, text.split('\n').length);
    await assertParsedAsByParser(text);
    assert.equal((await parseText(text)).entries.find((entry) => entry.key === 'child')?.fields['booktitle'], 'Proceedings of SOSP', 'inherited through crossref');
  });

  it('reads whole entries without the parser when it has nothing to add: the example bibliography needs none of it', async () => {
    const example = await readFile(path.join(exampleRoot, 'publications.bib'), 'utf8');
    const { read, rest } = readWholeEntries(example);
    assert.equal(read.length, scanEntryStarts(example).length);
    assert.doesNotMatch(rest, /@/, 'nothing is left for the parser');
    assert.equal(rest.split('\n').length, example.split('\n').length, 'lines stay where they were');
    await assertParsedAsByParser(example);
  });

  it('reads months, years, keywords, DOIs, publishers and notes of whole entries as the parser does', async () => {
    const text = [
      '@article{one,',
      '  author = {Doe, Jane and Roe, Richard},',
      '  title = {On {Things}},',
      '  year = 2014, month = mar,',
      '  volume = {013}, number = {},',
      '  doi = {10.1007/978-3-642-54420-0_11},',
      '  url = {https://example.org/a~b?x=1&y=2},',
      '  keywords = {b, A ,c; a ,b},',
      '  publisher = {Barnes and Noble},',
      '  note = {A note, with {Caps}},',
      '}',
      '@misc(two, title = {Parenthesised}, month = {March}, year = {02015}, organization = {{Barnes and Noble}})',
      '',
    ].join('\n');
    const { read } = readWholeEntries(text);
    assert.deepEqual(read.map((item) => item.entry.key), ['one', 'two']);
    await assertParsedAsByParser(text);
  });

  it('reads the file\'s own macros as the parser does, where they are defined once with plain text, after their definition', async () => {
    const text = [
      '@article{early, title = {Before}, publisher = acm}',
      '@string{acm = {{ACM} Press}}',
      '@String( IEEE = "Institute of Electrical and Electronics Engineers" )',
      '@string{who = {Doe, Jane and Roe, Richard}}',
      '@string{when = {March}}',
      '@string{twice = {One}}',
      '@string{twice = {Two}}',
      '@string{joined = acm # { and more}}',
      '@string{odd = "With \\"quotes\\" inside"}',
      '@article{macro, title = {B}, publisher = acm, journal = ieee}',
      '@article{upper, title = acm, author = who, month = when, publisher = ACM}',
      '@article{redefined, title = {C}, publisher = twice}',
      '@article{concatenated, title = {D}, publisher = joined}',
      '@article{quoted, title = {E}, publisher = odd}',
      '@article{glued, title = {F}, publisher = acm # { Inc.}}',
      '@article{unknown, title = {G}, publisher = nobody}',
      '',
    ].join('\n');
    const { read } = readWholeEntries(text);
    assert.deepEqual(read.map((item) => item.entry.key), ['macro', 'upper']);
    await assertParsedAsByParser(text);
  });

  it('needs no parser when only @string definitions of plain text are left: their strings are the parser\'s', async () => {
    const strings = '% macros\n@string{acm = {{ACM} Press}}\n\n@String( IEEE = "Institute of Electrical and Electronics Engineers" )\n@string{acm = {ACM}}\n';
    assert.deepEqual(readStringsAlone(strings), { ACM: 'ACM', IEEE: 'Institute of Electrical and Electronics Engineers' });
    assert.equal(JSON.stringify(readStringsAlone(strings)), JSON.stringify((await parseAsWritten(strings)).strings));
    for (const left of ['@preamble{"x"}\n', '@string{a = {A}} @misc{b, title = {B}}\n', '@string{a = b # {c}}\n', '@string{a = {\\emph{A}}}\n', '@comment{x}\n']) {
      assert.equal(readStringsAlone(`@string{z = {Z}}\n${left}`), undefined, left);
    }
    const whole = `${strings}@article{one, title = {One}, publisher = acm, journal = ieee}\n`;
    const fast = await parseWithSimpleFields(whole);
    assert.ok(fast !== undefined);
    assert.equal(JSON.stringify(fast), JSON.stringify(await parseAsWritten(whole)));
  });

  it('reads entries in a crossref as the parser does, fields inherited and records of who gave what, when every linked entry is read', async () => {
    const text = [
      '@inbook{chapter, author = {Doe, Jane}, title = {A Chapter}, crossref = {Volume}, pages = {1--10}, keywords = {b, a}}',
      '@book{volume, title = {The Volume}, editor = {Roe, Richard}, year = 2001, crossref = {series}, file = {v.pdf}}',
      '@mvbook{series, title = {The Series}, publisher = {ACM}, location = {New York}}',
      '@inproceedings{talk, title = {A Talk}, crossref = {proc}, year = {2002}}',
      '@inproceedings{poster, title = {A Poster}, booktitle = {Own Title}, crossref = {PROC}}',
      '@proceedings{proc, title = {Proceedings of Things}, year = {2003}, month = mar}',
      '@article{orphan, title = {Alone}, crossref = {nowhere}}',
      '@inproceedings{emphasised, title = {B}, crossref = {fancy}}',
      '@proceedings{fancy, title = {\\emph{Fancy} Proceedings}}',
      '@inproceedings{quoted, title = {C}, crossref = "other"}',
      '@proceedings{other, title = {Other Proceedings}}',
      '',
    ].join('\n');
    const rules = await crossrefRules();
    assert.ok(rules !== undefined, 'the parser\'s crossref rules are found');
    const { read } = readSimpleEntries(text, { ...MONTH_MACROS, ...NON_STANDARD_MONTHS }, rules);
    // Not: a group with a field only the parser reads, or with a crossref in quotes.
    assert.deepEqual(read.map((item) => item.entry.key), ['chapter', 'volume', 'series', 'talk', 'poster', 'proc', 'orphan']);
    const fast = await parseWithSimpleFields(text);
    assert.ok(fast !== undefined, 'the fast path was taken');
    assert.equal(JSON.stringify(fast), JSON.stringify(await parseAsWritten(text)));
    assert.deepEqual(readWholeEntries(text).read.map((item) => item.entry.key), [], 'without the parser\'s rules, entries with a crossref are its own');
    // A key written twice is the parser's, with every entry linked to it; a crossref to a macro leaves the whole file to it.
    const twice = '@misc{twin, title = {D}, crossref = {twins}}\n@misc{twins, title = {E}}\n@misc{Twins, title = {F}}\n@misc{single, title = {G}}\n';
    assert.deepEqual(readSimpleEntries(twice, MONTH_MACROS, rules).read.map((item) => item.entry.key), ['single']);
    const byMacro = '@string{p = {proc}}\n@misc{child, title = {H}, crossref = p}\n@proceedings{proc, title = {I}}\n@misc{other, title = {J}}\n';
    assert.deepEqual(readSimpleEntries(byMacro, MONTH_MACROS, rules).read, []);
    await assertParsedAsByParser(byMacro);
  });

  it('leaves to the parser entries with a month it was told to redefine, crossrefs and repeated keys', async () => {
    const text = [
      '@string{mar = "Marzo"}',
      '@article{redefined, title = {A}, month = mar}',
      '@article{plain, title = {C}, month = apr}',
      '@inproceedings{child, title = {D}, crossref = {parent}}',
      '@proceedings{parent, title = {E}}',
      '',
    ].join('\n');
    const { read } = readWholeEntries(text);
    assert.deepEqual(read.map((item) => item.entry.key), ['plain']);
    await assertParsedAsByParser(text);
    const twice = '@misc{a, title = {One}}\n@misc{A, title = {Two}}\n@misc{b, title = {Three}}\n';
    await assertParsedAsByParser(twice);
  });

  it('picks tokens that occur nowhere in the text', async () => {
    const text = '@misc{zqsf0, title = {zqsf0 zqsfq1 Title}, note = {zqsfqq}}\n';
    const { prefix, values } = substituteSimpleFields(text);
    assert.ok(!text.includes(prefix));
    assert.deepEqual([...values.values()].map((value) => value.decoded), ['zqsf0 zqsfq1 Title']);
    assert.equal((await parseText(text)).entries[0]?.fields['title'], 'zqsf0 zqsfq1 Title');
  });
});
