import type { Knex } from 'knex';
import queryInterface from 'knex/lib/query/method-constants.js';

/** A transaction the kernel opened on one pooled connection and will end itself. */
export interface OpenTransaction {
  readonly connection: object;
  /** Set when the owner commits or rolls back; queries after that are refused. */
  done: boolean;
  /** Sibling savepoints run one after another, as knex orders them in its own transactions. */
  savepoints?: { _lastChild: Promise<unknown>; isCompleted(): boolean; transactor: Knex.Transaction };
}

type BoundClient = Knex.Client & { readonly open: OpenTransaction };

const ended = () => new Error('Transaction query already complete: the request transaction has ended; finish every query before the handler returns');

function guarded<T>(client: BoundClient, connection: unknown, run: () => T): Promise<T> {
  return new Promise((resolve) => {
    if (connection !== client.open.connection) throw new Error('Invalid connection for transaction query.');
    if (client.open.done) throw ended();
    resolve(run());
  });
}

const clientPrototypes = new WeakMap<Knex.Client, object>();

/**
 * What knex's own transactions do with a client (`makeTxClient`): every query runs on the
 * transaction's connection and is refused once it has ended. Built once per knex client
 * and shared; a bound client only adds the transaction it runs on.
 */
function clientPrototype(root: Knex.Client): object {
  let proto = clientPrototypes.get(root);
  if (proto) return proto;
  const { query, stream } = root as unknown as Record<'query' | 'stream', (...args: unknown[]) => unknown>;
  proto = Object.create(root, {
    transacting: { value: true },
    acquireConnection: {
      value(this: BoundClient) {
        return this.open.done ? Promise.reject(ended()) : Promise.resolve(this.open.connection);
      },
    },
    releaseConnection: { value: () => Promise.resolve() },
    query: {
      value(this: BoundClient, connection: unknown, obj: unknown) {
        return guarded(this, connection, () => query!.call(this, connection, obj));
      },
    },
    stream: {
      value(this: BoundClient, connection: unknown, ...rest: unknown[]) {
        return guarded(this, connection, () => stream!.call(this, connection, ...rest));
      },
    },
  }) as object;
  clientPrototypes.set(root, proto);
  return proto;
}

type Facade = Knex.Transaction & { client: BoundClient };

const ownedByKernel = () => new Error('the kernel commits or rolls back this transaction when the handler settles; throw to roll it back');
const facadePrototypes = new WeakMap<Knex, object>();

/**
 * The `Knex.Transaction` API over a bound client. knex builds this object per transaction
 * (`makeKnex`: about 140 fresh closures plus accessor properties on one function), which
 * measured as the single largest cost of a request; here the methods live on a prototype
 * built once, and a transaction is a function and a client object.
 */
function facadePrototype(root: Knex): object {
  let proto = facadePrototypes.get(root);
  if (proto) return proto;
  const methods: Record<string, unknown> = {};
  for (const method of queryInterface) {
    methods[method] = function (this: Facade, ...args: unknown[]) {
      const builder = this.queryBuilder() as unknown as Record<string, (...a: unknown[]) => unknown>;
      return builder[method]!(...args);
    };
  }
  proto = Object.assign(Object.create(Function.prototype) as object, methods, {
    isTransaction: true,
    queryBuilder(this: Facade) {
      return this.client.queryBuilder();
    },
    raw(this: Facade, ...args: unknown[]) {
      return (this.client.raw as (...a: unknown[]) => unknown)(...args);
    },
    ref(this: Facade, ...args: unknown[]) {
      return (this.client.ref as (...a: unknown[]) => unknown)(...args);
    },
    batchInsert(this: Facade, table: string, rows: readonly Record<string, unknown>[], chunkSize?: number) {
      return root.batchInsert(table, rows, chunkSize).transacting(this);
    },
    /** A savepoint, with knex's own nested-transaction machinery. */
    transaction(this: Facade, container?: (trx: Knex.Transaction) => unknown, config?: Knex.TransactionConfig) {
      const open = this.client.open;
      open.savepoints ??= { _lastChild: Promise.resolve(), isCompleted: () => open.done, transactor: this };
      const options = { doNotRejectOnRollback: true, ...config };
      const start = this.client.transaction as unknown as (c: unknown, o: unknown, outer: unknown) => Promise<unknown>;
      if (container) return start.call(this.client, container, options, open.savepoints);
      return new Promise((resolve, reject) => void start.call(this.client, resolve, options, open.savepoints).catch(reject));
    },
    savepoint(this: Facade, container?: (trx: Knex.Transaction) => unknown, config?: Knex.TransactionConfig) {
      return (this.transaction as (c?: unknown, o?: unknown) => unknown)(container, config);
    },
    isCompleted(this: Facade) {
      return this.client.open.done;
    },
    commit() {
      return Promise.reject(ownedByKernel());
    },
    rollback() {
      return Promise.reject(ownedByKernel());
    },
    withUserParams() {
      throw new Error('Cannot set user params on a transaction - it can only inherit params from main knex instance');
    },
  });
  Object.defineProperties(proto, {
    fn: { get: () => root.fn },
    schema: {
      get(this: Facade) {
        return this.client.schemaBuilder();
      },
    },
    userParams: { get: () => ({}) },
  });
  facadePrototypes.set(root, proto);
  return proto;
}

/** A `Knex.Transaction` for a transaction the caller opened on `open.connection` and will end. */
export function bindTransaction(knex: Knex, open: OpenTransaction): Knex.Transaction {
  const client = Object.create(clientPrototype(knex.client), { open: { value: open } }) as BoundClient;
  const db = (tableName?: Knex.TableDescriptor, options?: unknown) => {
    const builder = client.queryBuilder();
    return tableName ? (builder.table as (t: unknown, o: unknown) => Knex.QueryBuilder)(tableName, options) : builder;
  };
  Object.setPrototypeOf(db, facadePrototype(knex));
  return Object.assign(db, { client }) as unknown as Knex.Transaction;
}
