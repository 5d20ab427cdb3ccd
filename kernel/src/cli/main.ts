import { parseCommandLine } from './args.js';
import { EXIT_OK, EXIT_USAGE, processIo, UsageError, type CliIo, type Command } from './command.js';
import { describeError } from './errors.js';
import { keygenCommand } from './keygen.js';
import { migrateCommand } from './migrate.js';
import { pluginCommands } from './plugins.js';
import { startCommand } from './start.js';
import { tenantCommands } from './tenants.js';
import { commandHelp, synopsis, usageText } from './usage.js';

const helpCommand: Command = {
  name: 'help',
  synopsis: '[<command>]',
  summary: 'show this text, or the help of one command',
  args: { min: 0, max: 2 },
  async run({ args, io }) {
    const command = args.length ? COMMANDS.find((c) => c.name === args.join(' ')) : undefined;
    if (args.length && !command) throw new UsageError(`unknown command "${args.join(' ')}"`);
    io.out(command ? commandHelp(command) : usageText(COMMANDS));
  },
};

export const COMMANDS: Command[] = [startCommand, migrateCommand, ...tenantCommands, ...pluginCommands, keygenCommand, helpCommand];

/** Runs one command line and returns the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runCli(argv: string[], options: { env?: NodeJS.ProcessEnv; io?: CliIo } = {}): Promise<number> {
  const { env = process.env, io = processIo } = options;
  let command: Command | undefined;
  try {
    const parsed = parseCommandLine(COMMANDS, argv);
    command = parsed.command;
    if (parsed.values.help) {
      io.out(command ? commandHelp(command) : usageText(COMMANDS));
      return EXIT_OK;
    }
    if (!command) {
      io.err(usageText(COMMANDS));
      return EXIT_USAGE;
    }
    return (await command.run({ args: parsed.args, values: parsed.values, env, io })) ?? EXIT_OK;
  } catch (err) {
    const report = describeError(err);
    io.err(`markettina: ${report.message}`);
    const about = (err instanceof UsageError && err.command) || command;
    if (report.showUsage) io.err(about ? `usage: ${synopsis(about)}` : `\n${usageText(COMMANDS)}`);
    if (env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace') io.err((err as Error)?.stack ?? '');
    return report.exitCode;
  }
}
