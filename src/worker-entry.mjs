// The entry point of the engine's worker threads (see parallel.ts). Plain JavaScript, because a
// worker does not inherit the TypeScript loader of the main thread: for a TypeScript module it
// registers tsx (the compiled engine passes JavaScript), imports the module it was given and
// sends back what its `run` returns.
import { parentPort, workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const module = await import(workerData.module);
parentPort.postMessage(await module.run(workerData.input));
