import { randomUUID } from 'node:crypto';
import { socialPublisher, type Publisher } from '@markettina/plugin-social/contracts';
import { connectScriptedAccount, type ScriptedPlatform } from '@markettina/plugin-social/testing';
import type { TestKernel } from '@markettina/sdk/testing';

/** One connected account of the fake, as the publisher and the fake know it. */
export interface BenchAccount {
  tenantId: string;
  socialAccountId: string;
  handle: string;
}

/** One publication to make: which account, which text. */
export interface Draft {
  account: BenchAccount;
  text: string;
}

/** Connects `count` accounts of the fake, spread round-robin over `tenants` new tenants. */
export async function connectAccounts(kit: TestKernel, platform: ScriptedPlatform, count: number, tenants: number): Promise<BenchAccount[]> {
  const owners = await Promise.all(Array.from({ length: tenants }, () => kit.createTenant()));
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    const tenant = owners[i % tenants]!;
    const handle = `acct-${String(i).padStart(3, '0')}`;
    const social = await connectScriptedAccount(tenant.as(), platform, handle);
    accounts.push({ tenantId: tenant.accountId, socialAccountId: social.id, handle });
  }
  return accounts;
}

/**
 * `posts` drafts over the accounts. `interleaved`: round-robin, as a campaign posting to
 * every account at once would schedule them; `grouped`: each account's posts together.
 */
export function drafts(accounts: BenchAccount[], posts: number, order: 'interleaved' | 'grouped', label: string): Draft[] {
  const perAccount = Math.ceil(posts / accounts.length);
  return Array.from({ length: posts }, (_, j) => {
    const account = accounts[order === 'interleaved' ? j % accounts.length : Math.floor(j / perAccount)]!;
    return { account, text: `${label}: post ${j} for ${account.handle}, due with ${posts - 1} others at the same instant` };
  });
}

/**
 * Schedules every draft through the social publisher, `batch` to a tenant transaction,
 * `parallel` transactions at a time, due at `dueAt`. Returns the publication ids in draft order.
 */
export async function schedule(kit: TestKernel, all: Draft[], o: { dueAt: Date; batch: number; parallel: number; sourceId: string }): Promise<string[]> {
  const publisher: Publisher = kit.kernel.host.contextFor('social').get(socialPublisher);
  const ids = new Array<string>(all.length);
  const batches: { tenantId: string; items: { index: number; draft: Draft }[] }[] = [];
  const open = new Map<string, { tenantId: string; items: { index: number; draft: Draft }[] }>();
  all.forEach((draft, index) => {
    let b = open.get(draft.account.tenantId);
    if (!b) open.set(draft.account.tenantId, (b = { tenantId: draft.account.tenantId, items: [] }));
    b.items.push({ index, draft });
    if (b.items.length === o.batch) {
      batches.push(b);
      open.delete(draft.account.tenantId);
    }
  });
  batches.push(...open.values());
  let next = 0;
  const worker = async () => {
    for (let b = batches[next++]; b; b = batches[next++]) {
      const batch = b;
      await kit.kernel.tenancy.withTenant(batch.tenantId, async (trx) => {
        for (const { index, draft } of batch.items) {
          const view = await publisher.schedule(trx, {
            socialAccountId: draft.account.socialAccountId,
            draft: { text: draft.text },
            dueAt: o.dueAt,
            timeZone: 'Europe/Rome',
            source: { plugin: 'bench-publish', id: `${o.sourceId}-${randomUUID()}` },
          });
          ids[index] = view.id;
        }
      });
    }
  };
  await Promise.all(Array.from({ length: o.parallel }, worker));
  return ids;
}
