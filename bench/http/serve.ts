/**
 * Serves both bench/http targets without loading them, for profiling the server side
 * apart from the load generator:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=source --import tsx http/serve.ts
 *   node --import tsx http/load.ts <url> <token> 10 32      (with a target from the line it prints)
 *
 * Prints `{ kernel: { url, token }, bare: { url, token } }` as one JSON line once ready;
 * stops cleanly on SIGINT or SIGTERM so --cpu-prof can write its profile.
 */
import { startTargets } from './targets.js';

const targets = await startTargets();
process.stdout.write(`${JSON.stringify({ kernel: targets.kernel, bare: targets.bare })}\n`);

const stop = async () => {
  await targets.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
