import pg from 'pg';
import type { Logger } from '@markettina/sdk';

export interface ListenerHandlers {
  message(payload: string): void;
  /** The connection was lost or re-established: notifications may have been missed. */
  resync(): void;
}

const RETRY_MS = [100, 500, 1_000, 5_000];

/**
 * One dedicated connection that LISTENs on a channel, reconnecting with backoff. While it
 * is down nothing is pushed, so every loss and every reconnect asks the owner to resync.
 */
export class NotifyListener {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
    private readonly logger: Logger,
  ) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.handlers.message(msg.payload ?? '');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempts = 0;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err, channel: this.channel }, 'lost the LISTEN connection; reconnecting');
    this.handlers.resync();
    this.schedule();
  }

  private schedule(): void {
    const delay = RETRY_MS[Math.min(this.attempts++, RETRY_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      this.connect().then(
        () => this.handlers.resync(),
        (err: Error) => {
          if (this.stopped) return;
          this.logger.warn({ err, channel: this.channel }, 'cannot LISTEN yet; retrying');
          this.schedule();
        },
      );
    }, delay);
    this.retry.unref();
  }
}
