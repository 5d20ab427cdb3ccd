import type { JobDeclaration } from '@markettina/sdk';
import { refreshDue } from '../domain/credentials.js';
import { socialRuntimeRef } from '../runtime.js';
import { refreshAccount } from '../services/account-calls.js';
import { sweepFlows } from '../store/oauth.js';

/**
 * Refreshes credentials before they expire. A cluster job: one node per tick; the
 * compare-and-set write keeps it safe even if a request refreshes the same account.
 * It also forgets OAuth flows that ended a day ago.
 */
export const refreshTokensJob: JobDeclaration = {
  id: 'refresh-tokens',
  schedule: { every: 60_000 },
  scope: 'cluster',
  async handler(ctx) {
    const rt = ctx.get(socialRuntimeRef);
    const now = new Date();
    const due: { tenantId: string; id: string }[] = [];
    await rt.tenancy.forEachTenant('social', async (trx, tenant) => {
      const rows = await trx('social_accounts').select('id', 'connector', 'token_expires_at').where({ status: 'connected' }).whereNotNull('credentials_sealed').whereNotNull('token_expires_at');
      for (const r of rows as { id: string; connector: string; token_expires_at: Date }[]) {
        // A tenant that disabled a connector's plugin gets no calls made through it, refreshes included.
        if (refreshDue(r.token_expires_at, now, rt.config.refreshAheadSeconds) && (await rt.isConnectorEnabled(trx, r.connector))) {
          due.push({ tenantId: tenant.accountId, id: r.id });
        }
      }
      await sweepFlows(trx);
    });
    for (const d of due) {
      try {
        const outcome = await refreshAccount(rt, d.tenantId, d.id);
        rt.logger.info({ socialAccount: d.id, outcome }, 'credential refresh');
      } catch (err) {
        rt.logger.error({ err, socialAccount: d.id }, 'credential refresh crashed');
      }
    }
  },
};
