import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { TestPrincipal } from '@markettina/sdk/testing';
import { useTenantKit } from './fixtures/kit.js';
import { TEMPLATES } from './fixtures/pieces.js';

interface Template {
  id: string;
  name: string;
  contentType: string;
  platform: string | null;
  body: string;
  variables: Record<string, unknown>[];
  placeholders: string[];
  warnings: { code: string; variable?: string }[];
  createdAt: string;
}

const offer = {
  name: 'Spring offer',
  contentType: 'social_post',
  platform: 'mastodon',
  body: 'Hi {{name}}! {{product}} is {{price}} until {{until}}. {{link}}',
  variables: [
    { name: 'name', type: 'string', required: true, maxLength: 40 },
    { name: 'product', type: 'enum', options: ['Pro', 'Team'], default: 'Pro' },
    { name: 'price', type: 'number', required: true, min: 0, style: 'currency', currency: 'EUR' },
    { name: 'until', type: 'date', required: true, dateStyle: 'long' },
    { name: 'link', type: 'url' },
  ],
};

describe('templates REST', () => {
  const t = useTenantKit();
  const { owner } = t;
  const create = async (caller: TestPrincipal, body: Record<string, unknown> = {}): Promise<Template> => {
    const res = await caller.inject({ method: 'POST', url: TEMPLATES, payload: { ...offer, name: `T ${randomUUID()}`, ...body } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Template;
  };
  const render = (id: string, payload: Record<string, unknown>, caller = owner()) => caller.inject({ method: 'POST', url: `${TEMPLATES}/${id}/render`, payload });

  test('create, read, change and delete a template', async () => {
    const res = await owner().inject({ method: 'POST', url: TEMPLATES, payload: offer });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json() as Template;
    assert.equal(res.headers.location, `${TEMPLATES}/${created.id}`);
    assert.deepEqual(created.placeholders, ['name', 'product', 'price', 'until', 'link']);
    assert.deepEqual(created.warnings, []);
    assert.equal(created.variables[0]?.required, true);
    assert.equal(created.variables[1]?.required, false, 'required is stored explicitly');

    assert.deepEqual((await owner().inject({ method: 'GET', url: `${TEMPLATES}/${created.id}` })).json(), created);

    const patched = await owner().inject({ method: 'PATCH', url: `${TEMPLATES}/${created.id}`, payload: { body: 'Hi {{name}}, {{price}}.', platform: null } });
    assert.equal(patched.statusCode, 200, patched.body);
    const changed = patched.json() as Template;
    assert.equal(changed.platform, null);
    assert.deepEqual(changed.warnings.map((w) => w.variable).sort(), ['link', 'product', 'until'], 'variables the body stopped using are warnings');

    assert.equal((await owner().inject({ method: 'DELETE', url: `${TEMPLATES}/${created.id}` })).statusCode, 204);
    assert.equal((await owner().inject({ method: 'GET', url: `${TEMPLATES}/${created.id}` })).statusCode, 404);
    assert.equal((await owner().inject({ method: 'DELETE', url: `${TEMPLATES}/${created.id}` })).statusCode, 404);
  });

  test('an invalid template is 422 TEMPLATE_INVALID listing each error with its position', async () => {
    const res = await owner().inject({ method: 'POST', url: TEMPLATES, payload: { ...offer, name: 'Broken', body: 'Hi {{name}}\nand {{ nme }} or {{a.b}} {{', variables: offer.variables.slice(0, 1) } });
    assert.equal(res.statusCode, 422);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    const problem = res.json();
    assert.equal(problem.code, 'TEMPLATE_INVALID');
    assert.deepEqual(
      problem.errors.map((e: { code: string; line: number; column: number }) => [e.code, e.line, e.column]),
      [
        ['TEMPLATE_VARIABLE_UNDECLARED', 2, 5],
        ['TEMPLATE_PLACEHOLDER_INVALID', 2, 18],
        ['TEMPLATE_PLACEHOLDER_UNCLOSED', 2, 26],
      ],
    );
    const decl = await owner().inject({ method: 'POST', url: TEMPLATES, payload: { ...offer, name: 'Bad decl', variables: [...offer.variables, { name: 'constructor', type: 'string' }] } });
    assert.equal(decl.statusCode, 422);
    assert.deepEqual(decl.json().errors.map((e: { code: string; variable: string }) => [e.code, e.variable]), [['TEMPLATE_VARIABLE_NAME_RESERVED', 'constructor']]);
    const change = await owner().inject({ method: 'PATCH', url: `${TEMPLATES}/${(await create(owner())).id}`, payload: { variables: [] } });
    assert.equal(change.statusCode, 422, 'a change that leaves placeholders undeclared is refused');
  });

  test('names are unique per tenant, ignoring case: 409 TEMPLATE_NAME_TAKEN', async () => {
    const first = await create(owner(), { name: 'Weekly digest' });
    const again = await owner().inject({ method: 'POST', url: TEMPLATES, payload: { ...offer, name: 'WEEKLY digest' } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'TEMPLATE_NAME_TAKEN');
    const other = await create(owner(), { name: 'Monthly digest' });
    const rename = await owner().inject({ method: 'PATCH', url: `${TEMPLATES}/${other.id}`, payload: { name: 'weekly DIGEST' } });
    assert.equal(rename.json().code, 'TEMPLATE_NAME_TAKEN');
    await create((await t.kit.createTenant()).as(['*']), { name: 'Weekly digest' });
    assert.equal((await owner().inject({ method: 'GET', url: `${TEMPLATES}/${first.id}` })).json().name, 'Weekly digest');
  });

  test('render: values checked, formatted for the locale, written as text', async () => {
    const t = await create(owner());
    const values = { name: 'Ada', price: 1234.5, until: '2027-03-01', link: 'https://example.com/offer' };
    const en = await render(t.id, { values, locale: 'en-GB' });
    assert.equal(en.statusCode, 200, en.body);
    assert.deepEqual(en.json(), { text: 'Hi Ada! Pro is €1,234.50 until 1 March 2027. https://example.com/offer', length: 70, locale: 'en-GB' });
    const it = await render(t.id, { values: { ...values, product: 'Team' }, locale: 'it-IT' });
    assert.equal(it.json().text, 'Hi Ada! Team is 1234,50\u00a0€ until 1 marzo 2027. https://example.com/offer');
  });

  test('render: wrong values are 422 TEMPLATE_VALUES_INVALID, one error per variable', async () => {
    const t = await create(owner());
    const res = await render(t.id, { values: { name: 42, price: -5, until: '2027-13-01', link: 'javascript:alert(1)', product: 'Free', extra: 'x' } });
    assert.equal(res.statusCode, 422);
    const problem = res.json();
    assert.equal(problem.code, 'TEMPLATE_VALUES_INVALID');
    assert.deepEqual(problem.errors.map((e: { variable: string; code: string }) => `${e.variable}:${e.code}`).sort(), [
      'extra:VALUE_UNKNOWN',
      'link:VALUE_URL_INVALID',
      'name:VALUE_TYPE',
      'price:VALUE_TOO_SMALL',
      'product:VALUE_NOT_AN_OPTION',
      'until:VALUE_DATE_INVALID',
    ]);
    const missing = await render(t.id, { values: {} });
    assert.deepEqual(missing.json().errors.map((e: { variable: string }) => e.variable).sort(), ['name', 'price', 'until']);
  });

  test('render: injection attempts stay text and prototype keys are unknown variables', async () => {
    const t = await create(owner(), { body: 'Dear {{name}}', variables: [{ name: 'name', type: 'string' }] });
    const inject = await render(t.id, { values: { name: '{{constructor}} {{name}} ${7*7} <%= 7*7 %>' } });
    assert.equal(inject.json().text, 'Dear {{constructor}} {{name}} ${7*7} <%= 7*7 %>');
    const proto = await owner().inject({
      method: 'POST',
      url: `${TEMPLATES}/${t.id}/render`,
      headers: { 'content-type': 'application/json' },
      payload: '{"values": {"name": "Ada", "__proto__": {"isAdmin": true}}}',
    });
    // The body parser refuses prototype poisoning before the renderer sees it.
    assert.equal(proto.statusCode, 400, proto.body);
    assert.match(proto.headers['content-type'] as string, /application\/problem\+json/);
    const undeclared = await owner().inject({ method: 'POST', url: TEMPLATES, payload: { ...offer, name: 'Proto', body: '{{__proto__}} {{constructor}}', variables: [] } });
    assert.deepEqual(undeclared.json().errors.map((e: { code: string }) => e.code), ['TEMPLATE_PLACEHOLDER_INVALID', 'TEMPLATE_VARIABLE_UNDECLARED']);
  });

  test('render: output over the bound is 422 TEMPLATE_OUTPUT_TOO_LONG; a bad locale is 422; an unknown template is 404', async () => {
    const t = await create(owner(), { body: '{{a}}{{a}}', variables: [{ name: 'a', type: 'string' }] });
    const long = await render(t.id, { values: { a: 'x'.repeat(600) }, maxLength: 1000 });
    assert.equal(long.statusCode, 422);
    assert.deepEqual([long.json().code, long.json().maxLength], ['TEMPLATE_OUTPUT_TOO_LONG', 1000]);
    assert.equal((await render(t.id, { values: { a: 'x'.repeat(500) }, maxLength: 1000 })).json().length, 1000);
    const locale = await render(t.id, { values: {}, locale: 'xx_not valid' });
    assert.deepEqual([locale.statusCode, locale.json().code], [422, 'TEMPLATE_LOCALE_INVALID']);
    assert.equal((await render(randomUUID(), { values: {} })).statusCode, 404);
  });

  test('listing: newest first, every template once across pages, filtered by content type and platform, own tenant only', async () => {
    const lister = (await t.kit.createTenant()).as(['*']);
    const made: Template[] = [];
    for (const [contentType, platform] of [['email', null], ['social_post', 'x'], ['social_post', 'mastodon'], ['blog', null], ['social_post', 'x']] as const) {
      made.push(await create(lister, { contentType, platform }));
    }
    const seen: Template[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res = await lister.inject({ method: 'GET', url: `${TEMPLATES}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { items: Template[]; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen.map((t) => t.id), made.map((t) => t.id).reverse());
    const social = (await lister.inject({ method: 'GET', url: `${TEMPLATES}?contentType=social_post&platform=x` })).json().items as Template[];
    assert.deepEqual(social.map((t) => t.id), [made[4]!.id, made[1]!.id]);
    assert.equal((await lister.inject({ method: 'GET', url: `${TEMPLATES}?cursor=bm9wZQ` })).json().code, 'INVALID_CURSOR');
    assert.equal((await owner().inject({ method: 'GET', url: `${TEMPLATES}/${made[0]!.id}` })).statusCode, 404, 'another tenant\'s template is not found');
  });

  test('reading and rendering need templates:read; changes need templates:write', async () => {
    const template = await create(owner());
    const reader = t.tenant.as(['content.templates:read']);
    assert.equal((await reader.inject({ method: 'GET', url: `${TEMPLATES}/${template.id}` })).statusCode, 200);
    assert.equal((await render(template.id, { values: { name: 'A', price: 1, until: '2027-01-01' } }, reader)).statusCode, 200);
    for (const req of [
      { method: 'POST' as const, url: TEMPLATES, payload: { ...offer, name: 'Nope' } },
      { method: 'PATCH' as const, url: `${TEMPLATES}/${template.id}`, payload: { name: 'Nope' } },
      { method: 'DELETE' as const, url: `${TEMPLATES}/${template.id}` },
    ]) {
      const res = await reader.inject(req);
      assert.equal(res.statusCode, 403, `${req.method} ${req.url}`);
    }
    assert.equal((await t.tenant.as(['content.pieces:read']).inject({ method: 'GET', url: TEMPLATES })).statusCode, 403);
  });
});
