import { isProblemError } from '@markettina/sdk';
import { CliError, EXIT_FAILURE, EXIT_USAGE, UsageError } from './command.js';

export interface ErrorReport {
  message: string;
  exitCode: number;
  showUsage: boolean;
}

interface PgLikeError {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  errors?: PgLikeError[];
}

/** PostgreSQL conditions an operator can fix, keyed by SQLSTATE or socket error code. */
function databaseHint(err: PgLikeError): string | undefined {
  const code = err.code ?? err.errors?.[0]?.code;
  switch (code) {
    case 'ECONNREFUSED': {
      const at = err.address ?? err.errors?.[0]?.address;
      const port = err.port ?? err.errors?.[0]?.port;
      return `cannot reach PostgreSQL${at ? ` at ${at}:${port}` : ''} (connection refused); is it running? check DATABASE_URL`;
    }
    case 'ENOTFOUND':
      return 'cannot resolve the PostgreSQL host; check DATABASE_URL';
    case '28P01':
    case '28000':
      return `PostgreSQL rejected the credentials: ${err.message}; check DATABASE_URL and DATABASE_APP_PASSWORD`;
    case '3D000':
      return `${err.message}; create it or fix DATABASE_URL`;
    case '42P01':
    case '42883':
      return `the database is not migrated (${err.message}); run: markettina migrate`;
    default:
      return undefined;
  }
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** Turns any failure into the one line the operator sees and the process exit code. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof UsageError) return { message: err.message, exitCode: EXIT_USAGE, showUsage: true };
  if (err instanceof CliError) return { message: oneLine(err.message), exitCode: EXIT_FAILURE, showUsage: false };
  if (isProblemError(err)) return { message: oneLine(`${err.detail ?? err.title} (${err.code})`), exitCode: EXIT_FAILURE, showUsage: false };
  const e = (err ?? {}) as PgLikeError;
  const hint = databaseHint(e);
  const message = hint ?? (typeof e.message === 'string' && e.message ? e.message : String(err));
  return { message: oneLine(message), exitCode: EXIT_FAILURE, showUsage: false };
}
