import type { Command } from './command.js';

const FOOTER = `Options:
  --config <file>   deployment configuration (default: $MARKETTINA_CONFIG, then ./markettina.config.json)
  -h, --help        show help for a command

Environment: PORT, HOST, DATABASE_URL (owner role; without it PostgreSQL runs embedded under
./.markettina), DATABASE_APP_PASSWORD, MARKETTINA_SECRET_KEYS, MARKETTINA_CONFIG, LOG_LEVEL.
A <tenant> is an account id or an exact tenant name.`;

export const synopsis = (c: Command) => ['markettina', c.name, c.synopsis].filter(Boolean).join(' ');

export function usageText(commands: Command[]): string {
  const rows = commands.map((c) => `  ${[c.name, c.synopsis].filter(Boolean).join(' ')}\n      ${c.summary}`);
  return ['Usage: markettina <command> [options]', '', 'Commands:', ...rows, '', FOOTER].join('\n');
}

export const commandHelp = (c: Command) => `Usage: ${synopsis(c)}\n\n${c.summary}\n\n${FOOTER}`;
