// The entry point of the engine's worker threads (see parallel.ts). Plain JavaScript, because a
// worker does not inherit the TypeScript loader of the main thread: for a TypeScript module it
// registers tsx (the compiled engine passes JavaScript), imports the module it was given and
// sends back what its `run` returns. A prepared worker first runs the module's `prepare`, then
// waits for its input.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
// An error cannot cross threads with its class: send what the main thread needs to rebuild it
// (the owner's problems, with file and line, for the errors their files cause).
try {
  const module = await import(workerData.module);
  let input = workerData.input;
  if ('prepare' in workerData) {
    const prepared = Promise.resolve(module.prepare?.(workerData.prepare));
    prepared.catch(() => undefined); // reported as the answer, once there is an input
    [{ input }] = await once(parentPort, 'message');
    await prepared;
  }
  parentPort.postMessage({ value: await module.run(input) });
} catch (error) {
  parentPort.postMessage({ error: { name: error?.name, message: error?.message ?? String(error), problems: error?.problems, stack: error?.stack } });
}
