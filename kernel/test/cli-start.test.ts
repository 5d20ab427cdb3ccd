import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliArgs, cliEnv, workDir } from './fixtures/cli.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `markettina start` in its own process group, as a terminal runs it (so Ctrl-C reaches PostgreSQL too). */
function start(cwd: string, port: number): Server {
  const child = spawn(process.execPath, cliArgs(['start']), { cwd, env: cliEnv({ PORT: String(port) }), detached: true });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function untilHealthy(server: Server, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) assert.fail(`start exited with ${server.child.exitCode}:\n${server.output()}`);
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    if (res?.ok) return;
    await sleep(200);
  }
  assert.fail(`no /healthz within ${timeoutMs} ms:\n${server.output()}`);
}

async function exitCode(server: Server, timeoutMs: number): Promise<number | null> {
  const timeout = sleep(timeoutMs, 'timeout' as const, { ref: false });
  const code = await Promise.race([server.exited, timeout]);
  if (code === 'timeout') assert.fail(`start did not stop within ${timeoutMs} ms:\n${server.output()}`);
  return code;
}

describe('markettina start with the embedded PostgreSQL', () => {
  const servers: Server[] = [];
  let cwd: string | undefined;
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.pid) process.kill(-s.child.pid, 'SIGKILL');
    if (cwd) {
      const pidFile = join(cwd, '.markettina/postgres/data/postmaster.pid');
      const postgres = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (postgres > 0 && alive(postgres)) process.kill(postgres, 'SIGQUIT');
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('serves health, OpenAPI and docs from a bare working directory, then stops cleanly on SIGTERM and on Ctrl-C', async () => {
    const [httpPort, pgPort] = await Promise.all([freePort(), freePort()]);
    cwd = workDir({ database: { embedded: { port: pgPort } } });
    const url = `http://127.0.0.1:${httpPort}`;
    const pidFile = join(cwd, '.markettina/postgres/data/postmaster.pid');
    const postgresPid = () => Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

    const first = start(cwd, httpPort);
    servers.push(first);
    await untilHealthy(first, url, 60_000);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
    const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(openapi.openapi, '3.1.0');
    assert.ok(openapi.paths['/healthz'], 'the document describes the kernel routes');
    const docs = await fetch(`${url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(existsSync(join(cwd, '.markettina/postgres/data/PG_VERSION')), 'the database lives under the working directory');
    const pg1 = postgresPid();
    // The identity plugin (installed by default) prints a demo tenant's API key on the first start only.
    const demoKey = /API key \(all tenant permissions\): (mk_[A-Za-z0-9_-]+)/.exec(first.output())?.[1];
    assert.ok(demoKey, `no demo API key in:\n${first.output()}`);
    const who = await fetch(`${url}/v1/identity/me`, { headers: { authorization: `Bearer ${demoKey}` } });
    assert.equal(who.status, 200, 'the printed key works');

    first.child.kill('SIGTERM');
    assert.equal(await exitCode(first, 20_000), 0, first.output());
    assert.match(first.output(), /"msg":"stopped"/);
    assert.ok(!alive(pg1), 'PostgreSQL was stopped');
    assert.ok(!existsSync(pidFile));

    // The second start reuses the initialised cluster; Ctrl-C signals the whole process group.
    const second = start(cwd, httpPort);
    servers.push(second);
    await untilHealthy(second, url, 60_000);
    const pg2 = postgresPid();
    assert.doesNotMatch(second.output(), /API key \(all tenant permissions\)/, 'the demo key is printed once');
    process.kill(-second.child.pid!, 'SIGINT');
    assert.equal(await exitCode(second, 20_000), 0, second.output());
    assert.ok(!alive(pg2), 'PostgreSQL was stopped');
    await assert.rejects(fetch(`${url}/healthz`), 'nothing listens any more');
  });
});
