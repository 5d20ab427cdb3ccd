/**
 * Permission ids are `<plugin>.<resource>:<action>`. Roles and API key scopes may use
 * patterns with `*` in any part: `*` (everything), `crm.*` (one plugin), `*:read` (every
 * read, short for `*.*:read`), `crm.leads:*`. A pattern is read as three parts, each a name or `*`, so matching
 * and "is this within that" are the same part-by-part comparison.
 */
export interface CatalogPermission {
  id: string;
  description?: string;
  /** Platform permissions are never granted by tenant roles or keys (the kernel enforces it too). */
  platform?: boolean;
}

const NAME = '[a-z][a-z0-9-]*';
const PART = `(?:\\*|${NAME})`;
const PATTERN = new RegExp(`^(?:\\*|${NAME}\\.\\*|\\*:${PART}|${PART}\\.${PART}:${PART})$`);
const CONCRETE = new RegExp(`^${NAME}\\.${NAME}:${NAME}$`);

type Parts = [plugin: string, resource: string, action: string];

export const isPermissionPattern = (value: string): boolean => PATTERN.test(value);
export const isConcretePermission = (value: string): boolean => CONCRETE.test(value);

function parts(pattern: string): Parts {
  if (pattern === '*') return ['*', '*', '*'];
  if (pattern.startsWith('*:')) return ['*', '*', pattern.slice(2)];
  const dot = pattern.indexOf('.');
  const plugin = pattern.slice(0, dot);
  const rest = pattern.slice(dot + 1);
  if (rest === '*') return [plugin, '*', '*'];
  const colon = rest.indexOf(':');
  return [plugin, rest.slice(0, colon), rest.slice(colon + 1)];
}

/** Whether everything `inner` can match, `outer` matches too (a permission matches itself). */
export function within(inner: string, outer: string): boolean {
  const i = parts(inner);
  const o = parts(outer);
  return o.every((part, n) => part === '*' || part === i[n]);
}

/** Whether a set of patterns grants one permission. */
export const grants = (patterns: readonly string[], permission: string): boolean => patterns.some((p) => within(permission, p));

/**
 * Whether someone holding `held` may hand out `requested` (to a key or a role): nobody hands
 * out more than they have. A pattern counts as held when one held pattern contains it, or,
 * for narrower patterns such as `*:read`, when every catalogue permission it matches is
 * granted. `*` and `<plugin>.*` also cover permissions of plugins installed later, so those
 * need to be held as such.
 */
export function coveredBy(requested: readonly string[], held: readonly string[], catalogue: readonly CatalogPermission[]): boolean {
  return requested.every((r) => {
    if (held.some((h) => within(r, h))) return true;
    if (r === '*' || /^[a-z][a-z0-9-]*\.\*$/.test(r)) return false;
    const matched = catalogue.filter((c) => !c.platform && within(c.id, r));
    return matched.length > 0 && matched.every((c) => grants(held, c.id));
  });
}

/** Forms the kernel's `hasPermission` understands as they are: `*`, `<plugin>.*` and exact ids. */
const kernelNative = (p: string) => p === '*' || /^[a-z][a-z0-9-]*\.\*$/.test(p) || isConcretePermission(p);

/**
 * Turns patterns (minus `except`) into what a principal carries: kernel-native forms stay
 * as they are, so `*` keeps covering plugins installed later; other patterns, and anything
 * with exceptions, become the catalogue's matching permissions. Platform permissions are
 * never produced.
 */
export function resolvePermissions(patterns: readonly string[], catalogue: readonly CatalogPermission[], except: readonly string[] = []): string[] {
  const out = new Set<string>();
  const tenantCatalogue = catalogue.filter((p) => !p.platform);
  for (const pattern of patterns) {
    if (except.length === 0 && kernelNative(pattern)) {
      if (!catalogue.some((p) => p.platform && p.id === pattern)) out.add(pattern);
      continue;
    }
    for (const p of tenantCatalogue) if (within(p.id, pattern) && !grants(except, p.id)) out.add(p.id);
  }
  return [...out].sort();
}

/** Problems with a list of patterns a client sent (scopes of a key): syntax, and none that only admins hold. */
export function patternProblems(patterns: readonly string[], catalogue: readonly CatalogPermission[]): string[] {
  const problems: string[] = [];
  for (const p of patterns) {
    if (!isPermissionPattern(p)) problems.push(`"${p}" is not a permission or pattern (<plugin>.<resource>:<action>, * allowed in any part)`);
    else if (catalogue.some((c) => c.platform && c.id === p)) problems.push(`"${p}" is a platform permission; only platform administrators hold it`);
  }
  return problems;
}

/** Problems with the permissions of a custom role: each must be declared by an installed plugin. */
export function customRoleProblems(permissions: readonly string[], catalogue: readonly CatalogPermission[]): string[] {
  const problems: string[] = [];
  for (const p of permissions) {
    const declared = catalogue.find((c) => c.id === p);
    if (!declared) problems.push(`"${p}" is not a permission declared by an installed plugin`);
    else if (declared.platform) problems.push(`"${p}" is a platform permission; only platform administrators hold it`);
  }
  return problems;
}
