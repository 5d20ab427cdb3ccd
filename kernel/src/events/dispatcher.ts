import type { EventsConfig } from '../config/types.js';
import { EVENTS_CHANNEL } from './bus.js';
import { deliverNext, type DeliverDeps } from './deliver.js';
import { listen, Wakeup, type Listener } from './wakeup.js';

export interface DispatcherOptions extends Pick<EventsConfig, 'concurrency' | 'pollIntervalMs'> {
  /** Connection for LISTEN (the app role's URL). */
  listenUrl: string;
}

/**
 * Runs `concurrency` slots, each claiming and handling one batch of deliveries at a time.
 * A slot that finds nothing sleeps until NOTIFY wakes it or its poll timer fires; polling
 * alone is enough for correctness, NOTIFY only makes it prompt.
 */
export class EventDispatcher {
  private running = false;
  private slots: Promise<void>[] = [];
  private listener: Listener | undefined;
  private readonly wakeup = new Wakeup();
  private readonly keys: string[];

  constructor(
    private readonly deps: DeliverDeps,
    private readonly options: DispatcherOptions,
  ) {
    this.keys = deps.catalog.subscriberKeys;
  }

  /** Starts dispatching; a node whose plugins subscribe to nothing has nothing to run. */
  start(): void {
    if (this.running || this.keys.length === 0) return;
    this.running = true;
    this.listener = listen(this.options.listenUrl, EVENTS_CHANNEL, () => this.wakeup.one(), this.deps.logger);
    for (let i = 0; i < this.options.concurrency; i++) this.slots.push(this.loop());
  }

  /** Stops claiming, lets deliveries in progress finish, and closes the listener. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeup.all();
    await this.listener?.close();
    await Promise.all(this.slots);
    this.slots = [];
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed: number;
      try {
        claimed = await deliverNext(this.deps, this.keys);
      } catch (err) {
        this.deps.logger.error({ err }, 'event dispatch failed; retrying after the poll interval');
        claimed = 0;
      }
      if (!this.running) return;
      if (claimed === 0) {
        // ±20% jitter keeps the slots of many nodes from polling in lockstep.
        await this.wakeup.sleep(this.options.pollIntervalMs * (0.8 + Math.random() * 0.4));
      } else if (claimed >= this.deps.batchSize) {
        // A full batch suggests a backlog: recruit another slot. Either way this slot claims
        // again at once, which also picks up deliveries its own batch was holding back.
        this.wakeup.one();
      }
    }
  }
}
