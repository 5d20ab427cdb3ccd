import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GLOBAL_OPTIONS, UsageError, type Command, type OptionValues } from './command.js';

export interface ParsedCommandLine {
  /** Undefined when no command word was given. */
  command: Command | undefined;
  args: string[];
  values: OptionValues;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Finds the command named by the leading words, then parses the line again with only that
 * command's options, so an option another command owns is still reported as unknown here.
 */
export function parseCommandLine(commands: Command[], argv: string[]): ParsedCommandLine {
  const all: Options = { ...GLOBAL_OPTIONS };
  for (const c of commands) Object.assign(all, c.options);
  const loose = parseArgs({ args: argv, options: all, allowPositionals: true, strict: false });
  const words = loose.positionals;
  const command = [...commands]
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => c.name.split(' ').every((w, i) => words[i] === w));

  if (!command) {
    if (words.length === 0) return { command: undefined, args: [], values: loose.values as OptionValues };
    const group = commands.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => c.name.split(' ')[1]);
    if (group.length > 0 && (words.length === 1 || !group.includes(words[1]!))) {
      const what = words.length === 1 ? 'needs a subcommand' : `has no subcommand "${words[1]}"`;
      throw new UsageError(`"${words[0]}" ${what}: ${group.join(', ')}`);
    }
    throw new UsageError(`unknown command "${words[0]}"`);
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command.name}: ${(err as Error).message.split('. ')[0]}`, command);
  }
  const values = parsed.values as OptionValues;
  const args = parsed.positionals.slice(command.name.split(' ').length);
  if (!values.help && (args.length < command.args.min || args.length > command.args.max)) {
    throw new UsageError(`${command.name}: wrong number of arguments (got ${args.length})`, command);
  }
  return { command, args, values };
}
