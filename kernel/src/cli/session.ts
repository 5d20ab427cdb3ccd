import type { Logger } from 'pino';
import { loadConfig } from '../config/load.js';
import type { KernelConfig } from '../config/types.js';
import type { Kernel } from '../kernel.js';
import { createLogger } from '../logger.js';
import type { CommandInput } from './command.js';

/** The kernel (fastify, knex, PostgreSQL) loads only for commands that use it, so help and keygen stay instant. */
export const kernelModule = () => import('../kernel.js');

export function cliConfig(input: Pick<CommandInput, 'values' | 'env'>): KernelConfig {
  return loadConfig({ file: input.values.config as string | undefined, env: input.env });
}

/** Administrative commands keep stdout for their result; logs go to stderr, warnings only unless LOG_LEVEL says otherwise. */
export function adminLogger(config: KernelConfig, env: NodeJS.ProcessEnv): Logger {
  return createLogger({ level: env.LOG_LEVEL ? config.logging.level : 'warn', destination: process.stderr });
}

/**
 * Boots a kernel that does not listen (it migrates first only in embedded mode), runs `fn`
 * and closes it, stopping an embedded PostgreSQL this process started.
 */
export async function withKernel<T>(input: CommandInput, fn: (kernel: Kernel) => Promise<T>): Promise<T> {
  const config = cliConfig(input);
  const { createKernel } = await kernelModule();
  const kernel = await createKernel({ config, logger: adminLogger(config, input.env) });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}
