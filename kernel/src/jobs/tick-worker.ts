/**
 * The code bree runs in its worker thread for every tick. It only tells the main thread
 * that the tick fired; the handler runs in the main thread, where the kernel's pools and
 * services live. It is plain CommonJS evaluated from a string (`worker.eval`), so it needs
 * no file next to the kernel and runs the same from sources (tsx) and from the bundle.
 */
export const TICK_WORKER_SOURCE = [
  "const { parentPort } = require('node:worker_threads');",
  "parentPort.postMessage('tick');",
  "parentPort.postMessage('done');",
].join('\n');

export const TICK = 'tick';
