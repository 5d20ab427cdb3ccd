/**
 * A typed handle to a service. Plugins declare the refs they provide and require in
 * their manifest; the kernel wires them and refuses to boot when one is missing.
 */
export interface ServiceRef<T> {
  readonly id: string;
  /** `root`: one instance per process. `request`: one per request / job step / handler run. */
  readonly scope: 'root' | 'request';
  /** Phantom field so `ServiceRef<A>` and `ServiceRef<B>` do not unify. */
  readonly __type?: T;
}

const REF_ID = /^[a-z][a-z0-9-]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/;

export function createServiceRef<T>(options: { id: string; scope?: 'root' | 'request' }): ServiceRef<T> {
  if (!REF_ID.test(options.id)) {
    throw new TypeError(`service ref id "${options.id}" must look like "<pluginId>.<name>"`);
  }
  return Object.freeze({ id: options.id, scope: options.scope ?? 'root' });
}
