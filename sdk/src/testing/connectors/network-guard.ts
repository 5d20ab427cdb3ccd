import { Socket } from 'node:net';

export interface ClosedNetwork {
  /** Attempts refused so far, as `host:port`. */
  readonly refused: string[];
  restore(): void;
}

type ConnectArgs = unknown[];

function target(args: ConnectArgs): { host: string; port: number } | undefined {
  // net.connect() hands Socket#connect its normalised [options, callback] pair.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: string; host?: string; port?: number | string };
    if (o.path) return undefined;
    return { host: o.host ?? 'localhost', port: Number(o.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  }
  return undefined; // an IPC path
}

/**
 * Closes the process's network except to `allowed` (host:port pairs): every TCP or TLS
 * socket that tries another address fails with ECONNREFUSED, and global fetch throws. Used
 * by the conformance suite so that a connector cannot reach anything but the fake, even
 * by going around its context's HTTP client.
 */
export function closeNetwork(allowed: { host: string; port: number }[]): ClosedNetwork {
  const refused: string[] = [];
  const originalConnect = Socket.prototype.connect;
  const originalFetch = globalThis.fetch;
  const ok = (t: { host: string; port: number }) => allowed.some((a) => a.port === t.port && (a.host === t.host || (a.host === '127.0.0.1' && t.host === 'localhost')));

  Socket.prototype.connect = function guardedConnect(this: Socket, ...args: ConnectArgs) {
    const t = target(args);
    if (t && !ok(t)) {
      refused.push(`${t.host}:${t.port}`);
      const err = Object.assign(new Error(`network closed by the conformance suite: ${t.host}:${t.port} is not the fake`), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (originalConnect as (...a: ConnectArgs) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;
  globalThis.fetch = (async (input: unknown) => {
    refused.push(`fetch ${String(input)}`);
    throw new TypeError('network closed by the conformance suite: connectors call platforms through ctx.http');
  }) as typeof fetch;

  return {
    refused,
    restore() {
      Socket.prototype.connect = originalConnect;
      globalThis.fetch = originalFetch;
    },
  };
}
