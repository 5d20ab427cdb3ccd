import type { ValidateFunction } from 'ajv';
import { PluginError, type EventSubscription } from '@markettina/sdk';
import type { Registration } from '../plugins/registration.js';
import { createAjv } from '../plugins/validate.js';

export interface DeclaredEvent {
  type: string;
  /** The declaring plugin: the CloudEvents `source` of every event of this type. */
  source: string;
  validate: ValidateFunction;
}

export interface Subscriber {
  pluginId: string;
  subscriberId: string;
  /** `<plugin>/<subscriber>`, how the claim function names it. */
  key: string;
  event: string;
  handler: EventSubscription['handler'];
}

export const subscriberKey = (pluginId: string, subscriberId: string) => `${pluginId}/${subscriberId}`;

/**
 * The event types installed plugins declared (with compiled payload schemas) and who
 * subscribes to each. Built once at boot; a type declared by two plugins fails the boot.
 */
export class EventCatalog {
  private readonly types = new Map<string, DeclaredEvent>();
  private readonly byType = new Map<string, Subscriber[]>();
  private readonly byKey = new Map<string, Subscriber>();

  constructor(plugins: Registration[]) {
    const ajv = createAjv();
    for (const reg of plugins) {
      for (const decl of reg.events) {
        const other = this.types.get(decl.type);
        if (other) {
          throw new PluginError(
            'PLUGIN_DUPLICATE_EVENT_TYPE',
            `event type "${decl.type}" is declared by both "${other.source}" and "${reg.id}"; an event type has one publisher, so rename one of them`,
            reg.id,
          );
        }
        let validate: ValidateFunction;
        try {
          validate = ajv.compile(decl.schema);
        } catch (err) {
          throw new PluginError('PLUGIN_EVENT_SCHEMA_INVALID', `plugin "${reg.id}": the schema of event "${decl.type}" does not compile: ${(err as Error).message}`, reg.id);
        }
        this.types.set(decl.type, { type: decl.type, source: reg.id, validate });
      }
      for (const sub of reg.subscriptions) {
        const subscriber: Subscriber = { pluginId: reg.id, subscriberId: sub.subscriberId, key: subscriberKey(reg.id, sub.subscriberId), event: sub.event, handler: sub.handler };
        this.byKey.set(subscriber.key, subscriber);
        this.byType.set(sub.event, [...(this.byType.get(sub.event) ?? []), subscriber]);
      }
    }
  }

  declared(type: string): DeclaredEvent | undefined {
    return this.types.get(type);
  }

  subscribersOf(type: string): readonly Subscriber[] {
    return this.byType.get(type) ?? [];
  }

  subscriber(key: string): Subscriber | undefined {
    return this.byKey.get(key);
  }

  /** Every subscriber of this node, as the claim function names them. */
  get subscriberKeys(): string[] {
    return [...this.byKey.keys()];
  }
}
