import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { socialPlugin } from '../src/plugin.js';
import { socialRuntimeRef } from '../src/runtime.js';
import { claimDue } from '../src/services/publish-worker.js';
import { recordChange } from '../src/store/publications.js';
import { publishDue, scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform, type ScriptedPlatform } from '../src/testing/index.js';
import { publications, until } from './fixtures/publishing.js';

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/publish-node.ts', import.meta.url));

describe('publish pipeline across nodes and crashes', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  let pub: ReturnType<typeof publications>;
  before(async () => {
    platform = await startScriptedPlatform();
    kit = await startTestKernel({
      plugins: [
        { definition: socialPlugin, config: socialTestConfig({ publishing: { concurrency: 4, batchSize: 4 } }) },
        scriptedConnectorPlugin({ origin: platform.origin }),
        scriptedConnectorPlugin({ origin: platform.origin, id: 'scripted-none', publishIdempotency: 'none' }),
      ],
      config: { jobs: { scheduler: false }, events: { dispatcher: false } },
    });
    pub = publications(kit);
  });
  after(async () => {
    await kit?.close();
    await platform?.close();
  });

  const rt = () => kit.kernel.host.contextFor('social').get(socialRuntimeRef);

  /** What a node that dies mid-call leaves behind: a lease it holds, and maybe a post on the platform. */
  async function dieMidCall(a: Awaited<ReturnType<typeof pub.account>>, id: string, handle: string, dedupe: boolean) {
    const mine = (await claimDue(rt(), 50)).filter((c) => c.id === id);
    assert.equal(mine.length, 1, 'the doomed node claimed it');
    const session = (await (await fetch(`${platform.origin}/session`, { method: 'POST', body: JSON.stringify({ apiKey: platform.apiKey(handle) }) })).json()) as { accessToken: string };
    const headers: Record<string, string> = { authorization: `Bearer ${session.accessToken}`, 'x-publisher-ref': id, ...(dedupe ? { 'idempotency-key': id } : {}) };
    const created = (await (await fetch(`${platform.origin}/posts`, { method: 'POST', headers, body: JSON.stringify({ text: 'hello' }) })).json()) as { id: string };
    await a.update(id, { lease_expires_at: new Date(Date.now() - 1_000), next_attempt_at: new Date(Date.now() - 1_000) });
    return { claim: mine[0]!, postId: created.id };
  }

  test('two nodes draining the same backlog publish every publication exactly once', async () => {
    const node2 = await kit.startNode();
    const accounts = await Promise.all(['n1', 'n2', 'n3'].map((h) => pub.account(platform, h)));
    const ids: string[] = [];
    for (const a of accounts) for (let i = 0; i < 12; i++) ids.push((await a.schedule({ draft: { text: `post ${i}` } })).id);
    // Slow answers keep both nodes busy at once.
    for (const id of ids.slice(0, 12)) platform.scriptPost(id, { kind: 'slow', ms: 50 });
    const [first, second] = await Promise.all([publishDue(kit.kernel), publishDue(node2)]);
    const handled = [...first.keys(), ...second.keys()].filter((id) => ids.includes(id));
    assert.equal(handled.length, ids.length, 'each claimed by one node only');
    assert.ok(first.size > 0 && second.size > 0, 'both nodes published');
    assert.equal(new Set(handled).size, ids.length);
    for (const id of ids) assert.equal(platform.createdFor(id), 1, `publication ${id}`);
    assert.equal(platform.duplicates(), 0);
    for (const [i, a] of accounts.entries()) {
      for (const id of ids.slice(i * 12, i * 12 + 12)) assert.equal((await a.get(id)).status, 'published');
    }
  });

  test('a node that lost its lease cannot overwrite the node that took over', async () => {
    const a = await pub.account(platform, 'fen');
    const p = await a.schedule();
    const { claim } = await dieMidCall(a, p.id, 'fen', true);
    assert.equal((await publishDue(kit.kernel)).get(p.id), 'published');
    const stale = await a.inTenant((trx) =>
      recordChange(trx, { id: p.id, status: 'publishing', social_account_id: a.socialAccountId }, claim.owner, { status: 'failed', nextAttemptInMs: null, attemptsDelta: 0, outcomeUnknown: false, failure: { code: 'X', reason: 'late' } }),
    );
    assert.equal(stale, undefined);
    assert.equal((await a.get(p.id)).status, 'published');
  });

  test('a crash after the platform created the post: taken over, published with that post, never twice', async () => {
    const a = await pub.account(platform, 'cro');
    const p = await a.schedule();
    const { postId } = await dieMidCall(a, p.id, 'cro', true);
    assert.equal((await publishDue(kit.kernel)).get(p.id), 'published');
    const view = await a.get(p.id);
    assert.equal(view.externalId, postId);
    assert.equal(view.attempts, 2);
    assert.equal(platform.createdFor(p.id), 1);
  });

  test('a crash on a platform that does not dedupe: unconfirmed, with PostUnconfirmed, and not sent again', async () => {
    const a = await pub.account(platform, 'cru', 'scripted-none');
    const p = await a.schedule();
    await dieMidCall(a, p.id, 'cru', false);
    assert.equal((await publishDue(kit.kernel)).get(p.id), 'unconfirmed');
    assert.equal(platform.createdFor(p.id), 1);
    assert.ok((await a.events()).some((e) => e.type === 'social.PostUnconfirmed' && e.data.publicationId === p.id));
  });

  test('SIGKILL of a node mid-publish, then a restart: the post is neither lost nor duplicated', async () => {
    const a = await pub.account(platform, 'kil');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'slow', ms: 30_000, afterCreate: true });
    const start = () =>
      spawn(process.execPath, ['--conditions=source', '--import', 'tsx', NODE_SCRIPT], {
        env: {
          ...process.env,
          PUBLISH_NODE_APP_URL: kit.database.appUrl,
          PUBLISH_NODE_OWNER_URL: kit.database.ownerUrl,
          PUBLISH_NODE_KERNEL: JSON.stringify({ secrets: kit.kernel.config.secrets, storage: kit.kernel.config.storage }),
          PUBLISH_NODE_PLATFORM: platform.origin,
        },
        stdio: 'ignore',
      });
    const first = start();
    const exited = (child: ReturnType<typeof start>) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    try {
      await until('the platform to create the post', async () => (platform.createdFor(p.id) === 1 ? true : undefined), 20_000);
      assert.equal((await a.get(p.id)).status, 'publishing');
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    const second = start();
    try {
      const view = await until('the restarted node to settle it', async () => {
        const v = await a.get(p.id);
        return v.status === 'published' ? v : undefined;
      }, 20_000, 200);
      assert.equal(view.externalId, platform.posts.find((x) => x.ref === p.id)!.id);
      assert.equal(platform.createdFor(p.id), 1);
    } finally {
      second.kill('SIGTERM');
      const timer = setTimeout(() => second.kill('SIGKILL'), 5_000);
      await exited(second);
      clearTimeout(timer);
    }
  });
});
