import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

interface PoolLike {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/**
 * Prometheus metrics on a registry of this kernel's own (not the process-global one), so
 * several kernels in one process do not collide.
 */
export function registerMetrics(app: FastifyInstance, knex: Knex): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'markettina_' });

  const requests = new Counter({
    name: 'markettina_http_requests_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'markettina_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pool = () => (knex.client as { pool?: PoolLike }).pool;
  const poolGauge = (name: string, help: string, read: (p: PoolLike) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const p = pool();
        this.set(p ? read(p) : 0);
      },
    });
  poolGauge('markettina_db_pool_used', 'Database connections in use', (p) => p.numUsed());
  poolGauge('markettina_db_pool_free', 'Idle database connections', (p) => p.numFree());
  poolGauge('markettina_db_pool_pending', 'Requests waiting for a database connection', (p) => p.numPendingAcquires());
  poolGauge('markettina_db_pool_max', 'Maximum database connections', (p) => p.max);

  app.addHook('onResponse', async (request, reply) => {
    // The route template, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true }, config: { auth: 'none' } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
