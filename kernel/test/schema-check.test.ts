import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { checkTenantSchema, startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

/** The schema check must catch each way a table can escape tenant isolation. */
describe('schema check catches unsafe tenant tables', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin] });
  });
  after(() => kit.close());

  test('kernel and plugin tables pass', async () => {
    assert.deepEqual(await checkTenantSchema(kit.database.ownerUrl), []);
  });

  test('missing RLS, unforced RLS, a bad key order and a tenant-blind foreign key are each reported', async () => {
    const c = new pg.Client({ connectionString: kit.database.ownerUrl });
    await c.connect();
    try {
      await c.query(`
        create table leaky (account_id uuid not null, id uuid not null, primary key (id));
        create table unforced (account_id uuid not null, id uuid not null, email text, primary key (account_id, id), unique (email));
        alter table unforced enable row level security;
        create policy tenant_isolation on unforced using (account_id = nullif(current_setting('app.current_account_id', true), '')::uuid);
        create table blindfk (account_id uuid not null, id uuid not null, note_id uuid, primary key (account_id, id), unique (account_id, note_id));
        alter table notes add constraint notes_id_unique unique (id);
        alter table blindfk add constraint blindfk_note foreign key (note_id) references notes (id);`);
      const problems = (await checkTenantSchema(kit.database.ownerUrl)).map((v) => `${v.table}: ${v.problem}`);
      for (const expected of [
        'leaky: row level security is not enabled',
        'leaky: no policy on account_id = current tenant',
        'leaky: primary key leaky_pkey does not start with account_id',
        'unforced: row level security is not forced',
        'unforced: unique constraint unforced_email_key does not start with account_id',
        'blindfk: foreign key blindfk_note to notes does not include account_id',
        'notes: unique constraint notes_id_unique does not start with account_id',
      ]) {
        assert.ok(problems.includes(expected), `expected "${expected}" in:\n${problems.join('\n')}`);
      }
    } finally {
      await c.end();
    }
  });
});
