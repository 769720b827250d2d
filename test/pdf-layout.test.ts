import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fontkit from 'fontkit';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { MAIN_FONTS } from '../src/cv/font-files.ts';
import { pairwiseLayout, type LayoutFont, type Run } from '../src/cv/pair-layout.ts';
import { renderCvPdf } from '../src/cv/pdf.ts';
import { cvPdfContent } from '../src/cv/pdf-glyphs.ts';
import { loadSiteModel } from '../src/site-model.ts';
import { createTestProject, type TestProject } from './helpers/project.ts';

/** What pdfkit reads of a layout: glyph ids and code points, positions, total advance. */
function shown(run: Run): unknown {
  return {
    glyphs: run.glyphs.map((glyph) => [glyph.id, glyph.codePoints]),
    positions: run.positions.map((position) => ({ ...position })),
    advanceWidth: run.advanceWidth,
  };
}

/** Words as pdfkit asks for them (each with its trailing space), from texts a CV prints. */
function words(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((text) => text.match(/[^ \t]*[ \t]?/g) ?? []).filter((word) => word !== ''))];
}

const TRICKY = [
  'AVATAR ', 'WAVE', 'Type', 'LTA', 'Wo', 'T.', 'y,', 'P.', 'Vy', 'office', 'fluffy ', 'ffi', 'fl', '«ab»', '“Quoted”', 'don’t',
  'naïve ', 'Ærø', 'Łukasz', 'Dvořák', 'co\u00adop', 'e\u0301', 'Παπαδόπουλος ', '王小明', 'שלום', '10.1145/3299874.3317983',
  'https://doi.org/10.6658/gen.1', '[4557] ', '101–111, ', '2016', '—', '… ', 'a  b', ' ', '', 'x', 'ABC-DEF/GHI:JKL;MNO',
];

describe('laying out the CV PDF\'s words pair by pair', () => {
  const projects: TestProject[] = [];
  after(async () => Promise.all(projects.map((project) => project.remove())));

  it('gives fontkit\'s glyphs and positions for every word, and asks fontkit whole words only where it must', () => {
    const printed = words(generateBibliography(400).split('\n').map((line) => line.replace(/^\s*\w+\s*=\s*[{"]?|[}"]?,?\s*$/g, '')));
    for (const [role, file] of Object.entries(MAIN_FONTS)) {
      const reference = fontkit.openSync(file) as unknown as LayoutFont;
      const font = fontkit.openSync(file) as unknown as LayoutFont;
      const whole: string[] = [];
      const shape = font.layout.bind(font);
      font.layout = (text: string, ...options: unknown[]) => {
        if ([...text].length > 2) whole.push(text);
        return shape(text, ...options);
      };
      const layout = pairwiseLayout(font);
      for (const word of [...TRICKY, ...printed]) assert.deepEqual(shown(layout(word)), shown(reference.layout(word)), `${role}: ${JSON.stringify(word)}`);
      assert.ok(printed.length > 1000);
      const tricky = new Set(TRICKY);
      const fromBibliography = whole.filter((word) => !tricky.has(word));
      assert.ok(fromBibliography.length < printed.length / 10, `${role}: ${fromBibliography.length} of ${printed.length} words went to fontkit whole`);
    }
  });

  it('gives the same PDF, byte for byte, as fontkit laying out every word', async () => {
    const project = await createTestProject();
    projects.push(project);
    for (const bibliography of [undefined, generateBibliography(300)]) {
      if (bibliography !== undefined) await project.write('publications.bib', bibliography);
      const model = await loadSiteModel({ root: project.root, siteFile: 'content/_data/site.yaml', cvFile: 'content/_data/cv.yaml', bibliography: 'publications.bib' });
      const input = { ...cvPdfContent(model.site, model.cv, model.publications), date: model.cvDate, root: project.root };
      const pairwise = await renderCvPdf(input);
      const fontkitOnly = await renderCvPdf(input, { pairwiseLayout: false });
      assert.ok(pairwise.equals(fontkitOnly), bibliography === undefined ? 'the example' : '300 generated entries');
    }
  });
});
