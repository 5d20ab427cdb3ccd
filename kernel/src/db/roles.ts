import pg from 'pg';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`"${name}" is not a safe SQL identifier`);
  return `"${name}"`;
}

const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function withCredentials(url: string, user: string, password: string, database?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates or updates a login role. The app role is created with every elevated attribute
 * switched off explicitly, so an existing role that drifted is corrected.
 */
export async function ensureRole(
  adminUrl: string,
  role: { name: string; password: string; kind: 'owner' | 'app' },
): Promise<void> {
  const attrs =
    role.kind === 'app'
      ? 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION'
      : 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOREPLICATION';
  await withClient(adminUrl, async (c) => {
    const exists = await c.query('select 1 from pg_roles where rolname = $1', [role.name]);
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    await c.query(`${verb} ROLE ${quoteIdent(role.name)} WITH ${attrs} PASSWORD ${quoteLiteral(role.password)}`);
  });
}

export async function ensureDatabase(adminUrl: string, name: string, owner: string, template?: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return false;
    const tpl = template ? ` TEMPLATE ${quoteIdent(template)}` : '';
    await c.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(owner)}${tpl}`);
    return true;
  });
}

/** Grants the app role what it needs to serve, and nothing that lets it change the schema. */
export async function grantAppRole(ownerUrl: string, appRole: string): Promise<void> {
  const app = quoteIdent(appRole);
  await withClient(ownerUrl, async (c) => {
    await c.query(`
      GRANT CONNECT ON DATABASE ${quoteIdent(databaseName(ownerUrl))} TO ${app};
      GRANT USAGE ON SCHEMA public TO ${app};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app};
    `);
  });
}
