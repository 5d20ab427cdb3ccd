import type { ParseArgsConfig } from 'node:util';

export type OptionValues = Record<string, string | boolean | undefined>;

/** Where a command writes: results to `out` (stdout), diagnostics to `err` (stderr). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

export interface CommandInput {
  /** Positional arguments after the command words. */
  args: string[];
  values: OptionValues;
  env: NodeJS.ProcessEnv;
  io: CliIo;
}

/** One CLI command. `name` is the words that select it, e.g. `tenants create`. */
export interface Command {
  name: string;
  /** Arguments and options as shown in the usage text. */
  synopsis: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  args: { min: number; max: number };
  run(input: CommandInput): Promise<number | void>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The command line itself is wrong: exit code 2 with the usage text. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose synopsis to show; the whole usage text when absent. */
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command failed for a reason the operator can act on: one line, exit code 1. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies NonNullable<ParseArgsConfig['options']>;
