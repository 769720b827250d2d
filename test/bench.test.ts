import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './helpers/project.ts';
import { generateBibliography } from '../bench/generate-bibliography.ts';
import { readBibtex } from '../src/bibliography/read-bibtex.ts';

// npm run bench measures builds of generated bibliographies (bench/run.ts); these are what it measures.
describe('the benchmark bibliographies', () => {
  const text = generateBibliography(300);

  it('are the same for the same size and seed, so runs compare like with like', () => {
    assert.equal(generateBibliography(300), text);
    assert.notEqual(generateBibliography(300, 1), text);
    assert.ok(generateBibliography(1000).length > text.length);
  });

  it('read cleanly, with every entry type, accents, particles, suffixes, math, macros and crossrefs', async () => {
    const { publications, errors } = await readBibtex(text, { file: 'bench.bib' });
    assert.deepEqual(errors, []);
    assert.equal(publications.length, 300);
    const types = new Set([...text.matchAll(/^@(\w+)\{/gm)].map((match) => match[1]));
    for (const type of ['article', 'inproceedings', 'incollection', 'book', 'phdthesis', 'mastersthesis', 'techreport', 'misc', 'unpublished', 'proceedings', 'string']) assert.ok(types.has(type), type);
    for (const feature of [/\{\\"o\}|\{\\'e\}/, /Søren|Łukasz|Γιώργος/, /van der Berg|de la Fontaine/, /, Jr\., /, /\$O\(n\^2\)\$/, /publisher = acm,/, /month = (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec),/, /crossref = \{proc\d+\}/]) {
      assert.match(text, feature);
    }
  });
});

describe('npm run bench', () => {
  it('measures every row, against its baselines, and writes the table (here a small bench, into a file of its own)', { timeout: 300_000 }, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'bench-test-'));
    try {
      const output = path.join(folder, 'results.md');
      // Its projects, and the sites and caches it moves aside between cold runs, go in the temporary folder.
      const scratch = path.join(folder, 'tmp');
      await mkdir(scratch);
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts'], { cwd: repoRoot, env: { ...process.env, BENCH_SIZES: '20', BENCH_RUNS: '1', BENCH_OUTPUT: output, TMPDIR: scratch }, maxBuffer: 16 * 1024 * 1024 });
      // (tsx keeps its own cache there.)
      assert.deepEqual((await readdir(scratch)).filter((name) => name.startsWith('bench-')), [], 'the bench leaves nothing of its own behind');
      const table = await readFile(output, 'utf8');
      // The example's builds, short and so noisy, run three times as often as the others.
      assert.match(table, /with \d+ cores, Node v[\d.]+, 1 runs each, the example site's 3 \(median/);
      // How fast the disk was, to read the cold rows of long lists by.
      assert.match(table, /The disk: creating 2,000 small files took \d+\.\d\d s at the start and \d+\.\d\d s at the end\./);
      const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| build'));
      const cells = rows.map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
      // A row by its label (a baseline's label goes on with its count of runs, an example's with "(no .cache)").
      const row = (label: string): string[] => {
        const found = cells.find(([first]) => first === label || first?.startsWith(`${label} (`) === true);
        assert.ok(found !== undefined, `no row "${label}" in:\n${rows.join('\n')}`);
        return found;
      };
      const seconds = /^\d+\.\d\d s \(\d+\.\d\d–\d+\.\d\d\)$/;
      // Processor time, all threads, as GNU time gives it (without GNU time, the column says n/a).
      const processor = existsSync('/usr/bin/time') ? /^\d+\.\d\d s$/ : /^n\/a$/;
      const eleventy = /^\d+\.\d\dx Eleventy$/;
      const pandoc = /^(\d+\.\d\dx pandoc|pandoc not installed)$/;
      assert.match(row('bare Eleventy, one page')[1] ?? '', seconds);
      assert.match(row('bare Eleventy, one page')[2] ?? '', processor);
      for (const label of ['example site, cold', 'example site, warm']) {
        const [, time, cpu, , versus] = row(label);
        assert.match(time ?? '', seconds, label);
        assert.match(cpu ?? '', processor, label);
        assert.match(versus ?? '', eleventy, label);
      }
      for (const style of ['default presentation', 'APA']) {
        for (const kind of ['cold', 'warm', 'warm, one entry edited']) {
          const [, time, cpu, , versus] = row(`20 entries, ${style}, ${kind}`);
          assert.match(time ?? '', seconds, `${style}, ${kind}`);
          assert.match(cpu ?? '', processor, `${style}, ${kind}`);
          assert.match(versus ?? '', pandoc, `${style}, ${kind}`);
        }
      }
      const [, rebuild, , , versus] = row('watch mode: one entry edited in 20');
      assert.match(rebuild ?? '', seconds);
      assert.match(versus ?? '', eleventy);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('removes its folders when it is stopped (Ctrl-C) too: the sites it keeps until the end take about a gigabyte', { timeout: 120_000 }, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'bench-test-'));
    try {
      const bench = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], { cwd: repoRoot, env: { ...process.env, BENCH_SIZES: '20', BENCH_RUNS: '1', BENCH_OUTPUT: path.join(folder, 'results.md'), TMPDIR: folder }, stdio: 'ignore' });
      const exited = once(bench, 'exit');
      const ours = async (): Promise<string[]> => (await readdir(folder)).filter((name) => name.startsWith('bench-'));
      // Stopped once it has made the example's project, beside its trash and the bare Eleventy site.
      while ((await ours()).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
      bench.kill('SIGINT');
      await exited;
      assert.deepEqual(await ours(), []);
      assert.equal(existsSync(path.join(folder, 'results.md')), false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
