import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of 10 ms (`getconf CLK_TCK` = 100). */
const TICK_MS = 10;

interface Stat {
  ppid: number;
  /** utime + stime of the process itself, ms. */
  ownMs: number;
  /** cutime + cstime: children that exited and were waited for, ms. */
  reapedMs: number;
}

function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; the fields after it are plain.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i - 3]);
  return { ppid: n(4), ownMs: (n(14) + n(15)) * TICK_MS, reapedMs: (n(16) + n(17)) * TICK_MS };
}

/**
 * CPU time used so far by a PostgreSQL server: the postmaster, its live processes
 * (backends, WAL writer, checkpointer...) and those that already exited. Linux only;
 * `undefined` elsewhere. Differences between two readings say what a run cost the server
 * whatever else ran on the machine meanwhile.
 */
export function serverCpuMs(postmasterPid: number): number | undefined {
  const root = stat(postmasterPid);
  if (!root) return undefined;
  let total = root.ownMs + root.reapedMs;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmasterPid) continue;
    const s = stat(pid);
    if (s?.ppid === postmasterPid) total += s.ownMs;
  }
  return total;
}

/** The postmaster of the backend `backendPid` (its parent process). */
export const postmasterOf = (backendPid: number): number | undefined => stat(backendPid)?.ppid;

/** CPU time of this Node process (every thread), ms. */
export function nodeCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
