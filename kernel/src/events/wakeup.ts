import pg from 'pg';
import type { Logger } from '@markettina/sdk';

/** Idle dispatcher slots sleep here until a wake-up or their poll timer, whichever is first. */
export class Wakeup {
  private readonly sleepers = new Set<() => void>();
  /** A wake-up that found every slot busy; the next slot to go to sleep takes it instead. */
  private missed = false;

  sleep(ms: number): Promise<void> {
    if (this.missed) {
      this.missed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Wakes one sleeper; a slot that finds work wakes the next, so a burst recruits slots one by one. */
  one(): void {
    const first = this.sleepers.values().next();
    if (first.done) this.missed = true;
    else first.value();
  }

  all(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` on a connection of its own and calls `onNotify` for each message.
 * Best effort: when the connection drops it reconnects after a pause, and polling covers
 * whatever was missed meanwhile.
 */
export function listen(url: string, channel: string, onNotify: () => void, logger: Logger, retryMs = 2000): Listener {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    timer = undefined;
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: 'markettina-events-listener' });
    client = c;
    const retry = (err?: Error) => {
      if (client !== c) return;
      client = undefined;
      c.removeAllListeners();
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      if (closed) return;
      if (err) logger.warn({ err }, 'event listener connection lost; polling until it is back');
      timer = setTimeout(() => void connect(), retryMs);
    };
    c.on('notification', () => onNotify());
    c.on('error', retry);
    c.on('end', () => retry());
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      // Anything published while we were not listening is found at once, not at the next poll.
      onNotify();
    } catch (err) {
      retry(err as Error);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
