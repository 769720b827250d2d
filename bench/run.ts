/**
 * npm run bench: whole-process build times, as medians of several runs with
 * min/max, processor time and peak memory, and ratios against pandoc --citeproc and a bare
 * Eleventy site whose runs alternate with each measure's own (these machines
 * are noisy and drift: compare ratios, not seconds). Writes bench/results.md.
 *
 * BENCH_SIZES=100,1000,5000 and BENCH_RUNS=3 choose the work; BENCH_OUTPUT another file to write
 * (test/bench.test.ts runs a small bench into a temporary one).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { existsSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBibliography } from './generate-bibliography.ts';
import { engineFolder } from '../src/source-versions.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = (process.env['BENCH_SIZES'] ?? '100,1000,5000').split(',').map(Number);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const output = path.resolve(process.env['BENCH_OUTPUT'] ?? path.join(repo, 'bench', 'results.md'));
const hasTime = existsSync('/usr/bin/time');
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;

interface Sample {
  seconds: number;
  /** Processor time of the whole process, all its threads (user and system). */
  cpuSeconds?: number;
  peakMb?: number;
}

interface Measure {
  median: number;
  min: number;
  max: number;
  /** The median of the runs' processor time. */
  cpuSeconds?: number;
  peakMb?: number;
  /** The median of the baseline's runs taken between this measure's runs. */
  baseline?: number;
}

/**
 * What ratios are taken against: a bare Eleventy site, or pandoc on the same file. Its runs are
 * interleaved with those of each measure (the machine's speed drifts over a bench of several
 * minutes), and every run is kept for its own row in the table.
 */
interface Baseline {
  command: string[];
  cwd: string;
  samples: Sample[];
}

async function project(bibliography?: string, style = true): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'bench-'));
  cleanup.push(root);
  for (const file of ['content', 'layouts', 'styles', 'publications.bib', '.eleventy.ts']) await cp(path.join(repo, file), path.join(root, file), { recursive: true });
  for (const file of ['src', 'node_modules', 'package.json']) await symlink(path.join(repo, file), path.join(root, file));
  if (bibliography !== undefined) await writeFile(path.join(root, 'publications.bib'), bibliography);
  if (!style) {
    const site = await readFile(path.join(root, 'content/_data/site.yaml'), 'utf8');
    await writeFile(path.join(root, 'content/_data/site.yaml'), site.replace(/^ {2}style: .*\n/m, ''));
  }
  // As `npm ci` leaves a fresh clone: its engine compiled (the postinstall step), no build cache.
  await timed([process.execPath, 'src/cli/run.mjs', 'compile'], root);
  return root;
}

/** Runs a command to the end; returns seconds, and processor time and peak memory (GNU time) of the whole process. */
function timed(command: string[], cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const argv = hasTime ? ['/usr/bin/time', '-f', 'PEAK_KB %M CPU %U %S', ...command] : command;
    const started = performance.now();
    const child = spawn(argv[0] ?? '', argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command.join(' ')} failed in ${cwd}:\n${stderr.slice(-2000)}`));
      const usage = /PEAK_KB (\d+) CPU (\d+\.\d+) (\d+\.\d+)/.exec(stderr);
      resolve({ seconds, ...(usage === null ? {} : { peakMb: Number(usage[1]) / 1024, cpuSeconds: Number(usage[2]) + Number(usage[3]) }) });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function summarise(samples: readonly Sample[]): Measure {
  const seconds = samples.map((s) => s.seconds);
  const peaks = samples.map((s) => s.peakMb).filter((p): p is number => p !== undefined);
  const cpu = samples.map((s) => s.cpuSeconds).filter((c): c is number => c !== undefined);
  return {
    median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds),
    ...(cpu.length > 0 ? { cpuSeconds: median(cpu) } : {}), ...(peaks.length > 0 ? { peakMb: Math.max(...peaks) } : {}),
  };
}

/** Runs `command` `times` times, each after `prepare` and (with a baseline) after one run of the baseline. */
async function measure(label: string, prepare: () => Promise<void>, command: string[], cwd: string, baseline?: Baseline, times = runs): Promise<Measure> {
  const samples: Sample[] = [];
  const paired: number[] = [];
  for (let run = 0; run < times; run++) {
    if (baseline !== undefined) {
      const sample = await timed(baseline.command, baseline.cwd);
      baseline.samples.push(sample);
      paired.push(sample.seconds);
    }
    await prepare();
    samples.push(await timed(command, cwd));
  }
  const result: Measure = { ...summarise(samples), ...(paired.length > 0 ? { baseline: median(paired) } : {}) };
  console.log(`${label}: ${format(result)}${result.cpuSeconds === undefined ? '' : `, ${processor(result)} processor`}${result.peakMb === undefined ? '' : `, ${memory(result)}`}${result.baseline === undefined ? '' : `; baseline ${result.baseline.toFixed(2)} s`}`);
  return result;
}

/** The measure's time as a multiple of its baseline runs' (those taken between its own runs). */
function ratio(measured: Measure, unit: string): string {
  return measured.baseline === undefined ? 'n/a' : `${(measured.median / measured.baseline).toFixed(2)}x ${unit}`;
}

/** Where the bench moves what it no longer needs, on the projects' file system; removed at the end (see asFreshClone). */
const trash = await mkdtemp(path.join(tmpdir(), 'bench-trash-'));
let discarded = 0;
async function discard(file: string): Promise<void> {
  if (existsSync(file)) await rename(file, path.join(trash, String(discarded++)));
}

// What `npm run build` runs (without npm's own start-up).
const build = [process.execPath, 'src/cli/run.mjs', 'build'];
/**
 * A cold build's project, as a fresh clone after `npm ci` is: no site built yet, and no build cache
 * but the engine that `npm ci` compiled. The last run's site and cache are moved aside, not removed:
 * on a file system without a journal (ext4 here), an inode freed less than a minute ago (six while
 * its block is unwritten) is not used again, and the kernel checks every such inode it passes on
 * its way to a free one, so that a build creating 15,000 files and folders right after 15,000 were
 * removed spent 3.5 to 4.5 s more of kernel time, which no first build after a clone spends.
 * What the last run wrote is written to the disk before the build starts (`sync`), so that it is
 * not written while the next one runs.
 */
const asFreshClone = (root: string) => async (): Promise<void> => {
  for (const entry of await readdir(root)) if (entry === '_site' || entry.startsWith('._site-')) await discard(path.join(root, entry));
  const engine = engineFolder(root);
  const aside = path.join(root, '.engine-aside');
  await rename(engine, aside);
  await discard(path.join(root, '.cache'));
  await mkdir(path.dirname(engine), { recursive: true });
  await rename(aside, engine);
  spawnSync('sync');
};
const keepCache = async () => undefined;
const rows: string[][] = [];
const cleanup: string[] = [];
// Removed as the bench exits, whether it finished, failed or was stopped (Ctrl-C): the sites kept
// until then take about a gigabyte.
process.once('SIGINT', () => process.exit(130));
process.once('exit', () => {
  for (const folder of [...cleanup, trash]) rmSync(folder, { recursive: true, force: true });
});
/** A baseline's row: all its runs, taken between those of the measures. */
const baselineRow = (label: string, baseline: Baseline, unit: string): string[] => {
  const all = summarise(baseline.samples);
  return [`${label} (${baseline.samples.length} runs)`, format(all), processor(all), memory(all), `1.00x ${unit}`];
};
function format(m: Measure): string {
  return `${m.median.toFixed(2)} s (${m.min.toFixed(2)}–${m.max.toFixed(2)})`;
}
function processor(m: Measure): string {
  return m.cpuSeconds === undefined ? 'n/a' : `${m.cpuSeconds.toFixed(2)} s`;
}
function memory(m: Measure): string {
  return m.peakMb === undefined ? 'n/a' : `${m.peakMb.toFixed(0)} MB`;
}

/**
 * How fast the disk the projects are on creates small files now (2,000 of them, synced), in
 * seconds: a cold build of 5,000 entries creates 15,000 files and folders, which takes seconds
 * longer in the minutes after many were removed (see asFreshClone; the warm builds remove the site
 * they replaced). Taken at the start and at the end, to read the long lists' cold rows by.
 */
async function diskProbe(): Promise<number> {
  const folder = await mkdtemp(path.join(tmpdir(), 'bench-disk-'));
  const started = performance.now();
  for (let index = 0; index < 2000; index++) await writeFile(path.join(folder, `${index}.html`), '<p>x</p>\n');
  spawnSync('sync');
  const seconds = (performance.now() - started) / 1000;
  await discard(folder);
  return seconds;
}
const diskAtStart = await diskProbe();

// Baselines: a bare Eleventy one-page site, and pandoc for each bibliography.
const bare = await mkdtemp(path.join(tmpdir(), 'bench-bare-'));
cleanup.push(bare);
await writeFile(path.join(bare, 'index.md'), '# Hello\n');
await symlink(path.join(repo, 'node_modules'), path.join(bare, 'node_modules'));
const eleventy: Baseline = { command: [process.execPath, 'node_modules/@11ty/eleventy/cmd.cjs', '--quiet'], cwd: bare, samples: [] };
// Once first, so that its own first run (a cold file cache) is not paired with a measure.
await timed(eleventy.command, eleventy.cwd);
const eleventyRow = rows.push([]) - 1;

const example = await project();
// The example's builds take a second or less, so that a busy moment of the machine moves a median of
// three by a tenth: they run three times as often.
const exampleRuns = runs * 3;
const exampleCold = await measure('example site, cold', asFreshClone(example), build, example, eleventy, exampleRuns);
const exampleWarm = await measure('example site, warm', keepCache, build, example, eleventy, exampleRuns);
rows.push(['example site, cold (fresh clone)', format(exampleCold), processor(exampleCold), memory(exampleCold), ratio(exampleCold, 'Eleventy')]);
rows.push(['example site, warm', format(exampleWarm), processor(exampleWarm), memory(exampleWarm), ratio(exampleWarm, 'Eleventy')]);

for (const size of sizes) {
  const bibliography = generateBibliography(size);
  let pandoc: Baseline | undefined;
  const pandocRow = rows.push([]) - 1;
  if (hasPandoc) {
    const folder = await mkdtemp(path.join(tmpdir(), 'bench-pandoc-'));
    cleanup.push(folder);
    await writeFile(path.join(folder, 'refs.bib'), bibliography);
    await writeFile(path.join(folder, 'doc.md'), '---\nnocite: "@*"\n---\n');
    pandoc = { command: ['pandoc', '--citeproc', '--bibliography=refs.bib', 'doc.md', '-o', 'out.html'], cwd: folder, samples: [] };
    await timed(pandoc.command, pandoc.cwd);
  }
  const versus = (m: Measure): string => (pandoc === undefined ? 'pandoc not installed' : ratio(m, 'pandoc'));
  const presentations: Array<{ root: string; name: string; rows: string[][] }> = [];
  for (const style of [false, true]) {
    const root = await project(bibliography, style);
    presentations.push({ root, name: `${size} entries, ${style ? 'APA' : 'default presentation'}`, rows: [] });
  }
  const row = (label: string, measured: Measure): string[] => [label, format(measured), processor(measured), memory(measured), versus(measured)];
  // Both cold rows first: a warm build removes the site it replaces, and files created in the
  // minute after that are slower to create (see asFreshClone).
  for (const { root, name, rows: own } of presentations) own.push(row(`${name}, cold`, await measure(`${name}, cold`, asFreshClone(root), build, root, pandoc)));
  for (const { root, name, rows: own } of presentations) {
    own.push(row(`${name}, warm`, await measure(`${name}, warm`, keepCache, build, root, pandoc)));
    // The everyday case: the cache is warm and the owner has changed one entry since the last build.
    let edits = 0;
    const editOne = async (): Promise<void> => {
      const bib = await readFile(path.join(root, 'publications.bib'), 'utf8');
      await writeFile(path.join(root, 'publications.bib'), bib.replace(/doi = \{10\.6658\/gen\.1[^}]*\}/, `doi = {10.6658/gen.1-edit${++edits}}`));
    };
    own.push(row(`${name}, warm, one entry edited`, await measure(`${name}, one entry edited`, editOne, build, root, pandoc)));
  }
  rows.push(...presentations.flatMap((presentation) => presentation.rows));
  if (pandoc === undefined) rows.splice(pandocRow, 1);
  else rows[pandocRow] = baselineRow(`pandoc --citeproc, ${size} entries`, pandoc, 'pandoc');
}

// Watch mode: how long after editing one entry the rebuilt page is written.
const watchSize = sizes.includes(1000) ? 1000 : (sizes[0] ?? 100);
const watchRoot = await project(generateBibliography(watchSize), false);
const rebuilds: number[] = [];
const watcher = spawn(process.execPath, ['--import', 'tsx', 'node_modules/@11ty/eleventy/cmd.cjs', '--config=.eleventy.ts', '--input=content', '--output=_site', '--watch'], { cwd: watchRoot, stdio: ['ignore', 'pipe', 'pipe'] });
let watched = '';
watcher.stdout.on('data', (chunk: Buffer) => (watched += chunk.toString()));
watcher.stderr.on('data', (chunk: Buffer) => (watched += chunk.toString()));
/** Waits until `done`, checked every 20 ms; a watcher that never gets there fails the bench rather than giving a number. */
const waitUntil = async (done: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 120000) {
      watcher.kill();
      throw new Error(`watch mode: ${what} did not happen within two minutes; its output:\n${watched.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const waitFor = (pattern: RegExp, from: number): Promise<void> => waitUntil(() => pattern.test(watched.slice(from)), `"${pattern.source}"`);
// The CV PDF follows the pages while serving: an edit is made once the one before it is complete.
const pdf = path.join(watchRoot, '_site', 'cv.pdf');
const pdfWrittenSince = (time: number): Promise<void> => waitUntil(() => existsSync(pdf) && statSync(pdf).mtimeMs >= time, 'the CV PDF');
await waitFor(/Watching/, 0);
await pdfWrittenSince(0);
// A rebuild takes well under a second: more edits than whole-process runs, for a steadier median.
const edits = Math.max(runs * 3, 9);
const paired: number[] = [];
for (let run = 0; run < edits; run++) {
  const sample = await timed(eleventy.command, eleventy.cwd);
  eleventy.samples.push(sample);
  paired.push(sample.seconds);
  const bib = await readFile(path.join(watchRoot, 'publications.bib'), 'utf8');
  const mark = watched.length;
  const editedAt = Date.now();
  const started = performance.now();
  await writeFile(path.join(watchRoot, 'publications.bib'), bib.replace(/title = \{/, `title = {Edited ${run} `));
  await waitFor(/Wrote \d+ files/, mark);
  rebuilds.push((performance.now() - started) / 1000);
  await pdfWrittenSince(editedAt);
}
watcher.kill();
const watch: Measure = { ...summarise(rebuilds.map((seconds) => ({ seconds }))), baseline: median(paired) };
rows.push([`watch mode: one entry edited in ${watchSize} (${edits} edits)`, format(watch), 'n/a', 'n/a', ratio(watch, 'Eleventy')]);
rows[eleventyRow] = baselineRow('bare Eleventy, one page', eleventy, 'Eleventy');
const diskAtEnd = await diskProbe();

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch} with ${availableParallelism()} cores, Node ${process.version}, ${runs} runs each, the example site's ${exampleRuns} ` +
    '(median, min–max; median processor time, user and system, of all the process\'s threads; peak RSS of the whole process). ' +
    'Each ratio is against the runs of its baseline (bare Eleventy, or pandoc on the same file) taken between its own runs; a baseline\'s row gives all its runs. ' +
    `The disk: creating 2,000 small files took ${diskAtStart.toFixed(2)} s at the start and ${diskAtEnd.toFixed(2)} s at the end.`,
  '',
  '| build | time | processor time | peak memory | ratio |',
  '|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
  '',
].join('\n');
await mkdir(path.dirname(output), { recursive: true });
await writeFile(output, table);
console.log(`\n${table}\nWritten to ${path.relative(process.cwd(), output)}`);
