/**
 * The load generator, run as its own process so it does not share an event loop with the
 * server it measures. Prints one JSON line: requests/s, latency percentiles, errors.
 */
import autocannon from 'autocannon';

const [url, token, seconds, connections] = process.argv.slice(2);
const result = await autocannon({
  url: url!,
  connections: Number(connections ?? 32),
  duration: Number(seconds ?? 10),
  headers: token ? { authorization: `Bearer ${token}` } : {},
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
  })}\n`,
);
