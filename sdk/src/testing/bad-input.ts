import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { RouteInfo } from '@markettina/kernel';
import type { TestPrincipal } from './test-kernel.js';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; format?: string; maxLength?: number; enum?: unknown[]; items?: Schema; minimum?: number; maximum?: number };

export interface BadInputCase {
  route: string;
  name: string;
  request: InjectOptions;
}

export interface BadInputFailure extends BadInputCase {
  status: number;
  contentType: string | undefined;
  body: string;
}

const typeOf = (s: Schema | undefined) => (Array.isArray(s?.type) ? s?.type.find((t) => t !== 'null') : s?.type);

/** A value that satisfies the schema well enough to get past it (for the parts not under test). */
function sample(s: Schema | undefined): unknown {
  if (s?.enum?.length) return s.enum[0];
  switch (typeOf(s)) {
    case 'integer':
    case 'number':
      return s?.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((s?.required ?? []).map((k) => [k, sample(s?.properties?.[k])]));
    default:
      return s?.format === 'uuid' ? randomUUID() : s?.format === 'date-time' ? new Date().toISOString() : s?.format === 'email' ? 'a@example.com' : 'x';
  }
}

/** Values that violate the schema of one property. */
function violations(s: Schema): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  const t = typeOf(s);
  if (t === 'integer' || t === 'number') out.push({ name: 'string for number', value: 'not-a-number' }, { name: 'huge number', value: '1e400' });
  if (t === 'string') {
    out.push({ name: 'oversized string', value: 'x'.repeat(Math.max((s.maxLength ?? 100_000) + 1, 10)) });
    if (s.format) out.push({ name: `not a ${s.format}`, value: 'not-valid-%00' });
    out.push({ name: 'object for string', value: { nested: true } });
  }
  if (t === 'boolean') out.push({ name: 'string for boolean', value: 'maybe' });
  if (t === 'array' || t === 'object') out.push({ name: `string for ${t}`, value: 'oops' });
  if (s.enum) out.push({ name: 'value outside enum', value: '__not_in_enum__' });
  return out;
}

function fillPath(url: string, params: Schema | undefined, override?: [string, unknown]): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const v = override && override[0] === name ? override[1] : sample(params?.properties?.[name]);
    return encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));
  });
}

/** Builds requests that violate a route's schema; every one must get a 4xx problem+json. */
export function badInputCases(route: RouteInfo): BadInputCase[] {
  const schema = route.schema as { params?: Schema; querystring?: Schema; body?: Schema };
  const label = `${route.method} ${route.url}`;
  const cases: BadInputCase[] = [];
  const validUrl = fillPath(route.url, schema.params);
  const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method);
  const validBody = hasBody ? sample(schema.body ?? { type: 'object' }) : undefined;
  const base = (): InjectOptions => ({ method: route.method as InjectOptions['method'], url: validUrl, ...(hasBody ? { payload: validBody as object } : {}) });

  for (const [name, prop] of Object.entries(schema.params?.properties ?? {})) {
    for (const v of violations(prop)) {
      if (typeof v.value !== 'string') continue;
      cases.push({ route: label, name: `param ${name}: ${v.name}`, request: { ...base(), url: fillPath(route.url, schema.params, [name, v.value]) } });
    }
  }
  for (const [name, prop] of Object.entries(schema.querystring?.properties ?? {})) {
    for (const v of violations(prop)) {
      const value = typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
      cases.push({ route: label, name: `query ${name}: ${v.name}`, request: { ...base(), query: { [name]: value } } });
    }
  }
  if (hasBody) {
    const json = { 'content-type': 'application/json' };
    cases.push({ route: label, name: 'malformed JSON', request: { ...base(), payload: '{"unterminated": ', headers: json } });
    cases.push({ route: label, name: 'unknown content type', request: { ...base(), payload: 'a=1', headers: { 'content-type': 'application/x-unknown' } } });
    if (schema.body) {
      cases.push({ route: label, name: 'array instead of object', request: { ...base(), payload: '[1,2]', headers: json } });
      for (const req of schema.body.required ?? []) {
        const body = { ...(validBody as object) } as Record<string, unknown>;
        delete body[req];
        cases.push({ route: label, name: `missing ${req}`, request: { ...base(), payload: body } });
      }
      for (const [name, prop] of Object.entries(schema.body.properties ?? {})) {
        for (const v of violations(prop)) {
          cases.push({ route: label, name: `body ${name}: ${v.name}`, request: { ...base(), payload: { ...(validBody as object), [name]: v.value } } });
        }
      }
    }
  }
  return cases;
}

/** Runs every bad-input case of every route of `pluginIds` and returns those that were not a 4xx problem. */
export async function runBadInputCheck(routes: RouteInfo[], caller: TestPrincipal, pluginIds?: string[]): Promise<{ checked: number; failures: BadInputFailure[] }> {
  const failures: BadInputFailure[] = [];
  let checked = 0;
  for (const route of routes.filter((r) => !pluginIds || pluginIds.includes(r.pluginId))) {
    for (const c of badInputCases(route)) {
      checked++;
      const res = await caller.inject(c.request);
      const contentType = res.headers['content-type'] as string | undefined;
      if (res.statusCode < 400 || res.statusCode >= 500 || !contentType?.startsWith('application/problem+json')) {
        failures.push({ ...c, status: res.statusCode, contentType, body: res.body.slice(0, 300) });
      }
    }
  }
  return { checked, failures };
}
