import { decodeEntities, type ConnectorContext } from '@markettina/sdk';
import { call, type WpTerm } from './api.js';
import { refusal, wpError } from './errors.js';

export type Taxonomy = 'tags' | 'categories';

/** The id of the term named `name` among `terms`; WordPress keeps names HTML-escaped and compares them without regard to case. */
export function matchTerm(terms: readonly WpTerm[], name: string): number | undefined {
  const want = name.toLowerCase();
  return terms.find((t) => decodeEntities(t.name).toLowerCase() === want)?.id;
}

async function termId(ctx: ConnectorContext, taxonomy: Taxonomy, name: string): Promise<number> {
  const found = await call(ctx, { method: 'GET', path: `/wp/v2/${taxonomy}`, query: { search: name, per_page: '100', _fields: 'id,name' } });
  const known = matchTerm(found.json<WpTerm[]>(), name);
  if (known !== undefined) return known;
  const res = await call(ctx, { method: 'POST', path: `/wp/v2/${taxonomy}`, json: { name }, accept: [400, 403] });
  if (res.status < 300) return res.json<WpTerm>().id;
  // The search missed it (it matches escaped names), or someone created it meanwhile: WordPress names the term.
  const err = wpError(res);
  if (err?.code === 'term_exists' && typeof err.data?.term_id === 'number') return err.data.term_id;
  throw refusal(res, 'term');
}

/** The ids of the named terms, each found or else created. */
export async function termIds(ctx: ConnectorContext, taxonomy: Taxonomy, names: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) ids.push(await termId(ctx, taxonomy, name));
  return ids;
}
