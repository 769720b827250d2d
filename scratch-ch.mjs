import chokidar from './node_modules/@11ty/chokidar-with-glob-support/index.js';
import { execSync } from 'node:child_process';
process.chdir('/tmp/ab/ch');
const w = chokidar.watch(['/tmp/ab/ch/f.yaml'], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 5 } });
w.on('all', (e, p) => console.log(e, p));
await new Promise((r) => w.on('ready', r));
const mode = process.argv[2];
if (mode.includes('add1')) w.add(['./f.yaml']);
await new Promise((r) => setTimeout(r, 300));
if (mode.includes('sed')) execSync(`sed -i 's/1/2/' f.yaml`);
await new Promise((r) => setTimeout(r, 300));
if (mode.includes('add2')) w.add(['/tmp/ab/ch/f.yaml']);
await new Promise((r) => setTimeout(r, 300));
try { await w.close(); console.log('closed ok'); } catch (e) { console.log('close error', e.message); }
