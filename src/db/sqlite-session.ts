// An asynchronous drizzle database over one better-sqlite3 connection, so the code above it awaits every
// query the same way whether the store is SQLite or PostgreSQL.
//
// better-sqlite3 runs each statement synchronously, and its transactions must be synchronous too; ours
// are `async (tx) => …` because PostgreSQL's are. One connection has one transaction at a time, and any
// statement run on it while a transaction is open becomes part of that transaction. So a gate keeps
// everything else out while one is open: a transaction runs inside an AsyncLocalStorage context of its
// own, statements from that context (its awaits, the work it starts) run at once, and statements from
// any other context wait until it commits or rolls back. Outside transactions nothing waits: the gate
// costs a context lookup per statement.
import { AsyncLocalStorage } from "node:async_hooks";
import type Sqlite from "better-sqlite3";
import { entityKind, type Query, sql } from "drizzle-orm";
import { BetterSQLiteSession } from "drizzle-orm/better-sqlite3";
import {
  BaseSQLiteDatabase,
  SQLitePreparedQuery,
  SQLiteSession,
  type SQLiteSyncDialect,
  SQLiteTransaction,
} from "drizzle-orm/sqlite-core";

type Behavior = "deferred" | "immediate" | "exclusive";

/** Which transaction, if any, holds the connection, and who waits for it. */
export class ConnectionGate {
  readonly #context = new AsyncLocalStorage<symbol>();
  #holder: symbol | null = null;
  #released: Promise<void> = Promise.resolve();
  #release: () => void = () => {};

  /** True when the caller must wait: a transaction other than its own holds the connection. */
  blocked(): boolean {
    return this.#holder !== null && this.#holder !== this.#context.getStore();
  }

  /** True when the caller runs inside the transaction holding the connection. */
  holding(): boolean {
    return this.#holder !== null && this.#holder === this.#context.getStore();
  }

  /** Resolves once no other transaction holds the connection. */
  async wait(): Promise<void> {
    while (this.blocked()) await this.#released;
  }

  /** Runs `body` holding the connection (after waiting for any other holder), in its own context. */
  async hold<T>(body: () => Promise<T>): Promise<T> {
    await this.wait();
    // Another waiter may have taken the connection between the release and this continuation.
    while (this.#holder !== null) {
      await this.#released;
      await this.wait();
    }
    const holder = Symbol("transaction");
    this.#holder = holder;
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
    try {
      return await this.#context.run(holder, body);
    } finally {
      this.#holder = null;
      this.#release();
    }
  }

  /**
   * Runs `work` outside any transaction's context: what it starts (a drain of recorded events, say)
   * waits for the transaction to end like any other caller, instead of running inside it.
   */
  outside<T>(work: () => T): T {
    return this.#context.exit(work);
  }

  /** Runs a synchronous piece of work on the raw connection once no other transaction holds it. */
  async exclusive<T>(work: () => T): Promise<T> {
    if (this.blocked()) await this.wait();
    return work();
  }
}

// drizzle's better-sqlite3 driver builds the statement and maps the rows; these classes wait at the gate
// first and answer with promises. drizzle's session classes are typed for its own drivers only, so the
// few internals used here are reached through `Internals`.
interface Internals {
  query: Query;
  joinsNotNullableMap: unknown;
  session: SQLiteSession<"async", Sqlite.RunResult, Record<string, unknown>, never>;
  dialect: SQLiteSyncDialect;
  schema: unknown;
  nestedIndex: number;
  isResponseInArrayMode(): boolean;
}
const internals = (value: unknown) => value as Internals;
// biome-ignore lint/suspicious/noExplicitAny: drizzle's prepared queries are typed per driver
type AnyPrepared = SQLitePreparedQuery<any>;

class GatedPreparedQuery extends SQLitePreparedQuery<{
  type: "async";
  run: Sqlite.RunResult;
  all: unknown;
  get: unknown;
  values: unknown;
  execute: unknown;
}> {
  static override readonly [entityKind]: string = "AtelierGatedPreparedQuery";
  readonly #inner: AnyPrepared;
  readonly #gate: ConnectionGate;

  constructor(inner: AnyPrepared, gate: ConnectionGate, executeMethod: "run" | "all" | "get") {
    super("async", executeMethod, internals(inner).query, undefined, undefined, undefined);
    this.#inner = inner;
    this.#gate = gate;
  }

  #call<T>(work: () => T): Promise<T> {
    // drizzle sets which joined tables may be all-null on the query it prepared, that is on this one.
    internals(this.#inner).joinsNotNullableMap = internals(this).joinsNotNullableMap;
    if (!this.#gate.blocked()) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#gate.wait().then(work);
  }

  run(placeholders?: Record<string, unknown>): Promise<Sqlite.RunResult> {
    return this.#call(() => this.#inner.run(placeholders) as Sqlite.RunResult);
  }
  all(placeholders?: Record<string, unknown>): Promise<unknown> {
    return this.#call(() => this.#inner.all(placeholders));
  }
  get(placeholders?: Record<string, unknown>): Promise<unknown> {
    return this.#call(() => this.#inner.get(placeholders));
  }
  values(placeholders?: Record<string, unknown>): Promise<unknown> {
    return this.#call(() => this.#inner.values(placeholders));
  }
  isResponseInArrayMode(): boolean {
    return internals(this.#inner).isResponseInArrayMode();
  }
}

class GatedSession extends SQLiteSession<
  "async",
  Sqlite.RunResult,
  Record<string, unknown>,
  never
> {
  static override readonly [entityKind]: string = "AtelierGatedSession";
  readonly #inner: BetterSQLiteSession<Record<string, unknown>, never>;
  /** The connection; db/client.ts's connectionOf finds it here for a database and its transactions. */
  readonly client: Sqlite.Database;
  readonly #schema: unknown;
  readonly gate: ConnectionGate;

  constructor(
    client: Sqlite.Database,
    dialect: SQLiteSyncDialect,
    schema: unknown,
    gate: ConnectionGate,
  ) {
    super(dialect as never);
    this.#inner = new BetterSQLiteSession(client, dialect, schema as never);
    this.client = client;
    this.#schema = schema;
    this.gate = gate;
  }

  // biome-ignore lint/suspicious/noExplicitAny: drizzle's own signature
  override prepareQuery(...args: Parameters<BetterSQLiteSession<any, any>["prepareQuery"]>): any {
    const inner = this.#inner.prepareQuery(...args) as AnyPrepared;
    return new GatedPreparedQuery(inner, this.gate, args[2] as "run" | "all" | "get");
  }

  // biome-ignore lint/suspicious/noExplicitAny: drizzle's own signature
  override transaction(transaction: (tx: any) => any, config: { behavior?: Behavior } = {}): any {
    const tx = new GatedTransaction(
      "async",
      internals(this).dialect as never,
      this,
      this.#schema as never,
    );
    // A transaction begun on the database from inside another one's context would wait for itself:
    // make it a savepoint of the open one instead.
    if (this.gate.holding()) return tx.transaction(transaction);
    const client = this.client;
    return this.gate.hold(async () => {
      // IMMEDIATE takes the write lock at the start, waiting (busy_timeout) for another process (a
      // worker, the CLI) to finish: a deferred transaction that reads, awaits and then writes after
      // another process wrote would fail at once with SQLITE_BUSY, which no waiting cures. In this
      // process the gate already runs transactions one at a time, so nothing is lost.
      client.exec(`begin ${config.behavior ?? "immediate"}`);
      try {
        const result = await transaction(tx);
        client.exec("commit");
        return result;
      } catch (error) {
        // SQLite may already have rolled back (a failed COMMIT, some errors): only roll back what is open.
        if (client.inTransaction) client.exec("rollback");
        throw error;
      }
    });
  }
}

class GatedTransaction extends SQLiteTransaction<
  "async",
  Sqlite.RunResult,
  Record<string, unknown>,
  never
> {
  static override readonly [entityKind]: string = "AtelierGatedTransaction";

  /** A savepoint inside the open transaction; its failure undoes only its own statements. */
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's own signature
  override async transaction<T>(transaction: (tx: any) => Promise<T>): Promise<T> {
    const self = internals(this);
    const name = `sp${self.nestedIndex}`;
    const tx = new GatedTransaction(
      "async",
      self.dialect as never,
      self.session,
      self.schema as never,
      self.nestedIndex + 1,
    );
    await self.session.run(sql.raw(`savepoint ${name}`));
    try {
      const result = await transaction(tx);
      await self.session.run(sql.raw(`release savepoint ${name}`));
      return result;
    } catch (error) {
      await self.session.run(sql.raw(`rollback to savepoint ${name}`));
      throw error;
    }
  }
}

/**
 * Wraps a better-sqlite3 connection as an asynchronous drizzle database with the given schema. The
 * `gate` is also what raw uses of the connection (Fedify's queue and key-value store) pass through.
 */
export function gatedDatabase<TSchema extends Record<string, unknown>>(
  client: Sqlite.Database,
  dialect: SQLiteSyncDialect,
  schema: unknown,
  gate: ConnectionGate,
): BaseSQLiteDatabase<"async", Sqlite.RunResult, TSchema> {
  const session = new GatedSession(client, dialect, schema, gate);
  return new BaseSQLiteDatabase(
    "async",
    dialect as never,
    session as never,
    schema as never,
  ) as never;
}
