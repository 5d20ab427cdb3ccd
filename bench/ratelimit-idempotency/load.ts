/**
 * The load generator, run as its own process so it does not share an event loop with the
 * server it measures. argv: url, token, seconds, connections, keys: `none` (no
 * Idempotency-Key), `fresh` (a new key per request) or a key to send every time (replays).
 * Prints one JSON line.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const [url, token, seconds, connections, keys] = process.argv.slice(2);
const result = await autocannon({
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'bench item' }),
  requests: [
    {
      setupRequest: (req: { headers?: Record<string, string> }) => {
        if (keys === 'none') return req;
        return { ...req, headers: { ...req.headers, 'idempotency-key': keys === 'fresh' ? `"${randomUUID()}"` : keys } };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
