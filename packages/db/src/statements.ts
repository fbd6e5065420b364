/**
 * Prepared statements, compiled once per connection. better-sqlite3 compiles SQL on every
 * `prepare`; for a joined SELECT that costs tens of microseconds, more than running it, so a query
 * function that prepares per call spends most of its time compiling the same text again.
 *
 * SQLite itself still recompiles a statement whose plan it based on a bound value whenever that
 * value is bound again: measured here on joins filtered by a bound key (ticketDocumentOf's reads
 * take ~30 µs cached, ~6 µs written as scalar subqueries). Caching cannot save that part.
 */
import type Database from "better-sqlite3";
import type { Db } from "./open.ts";

/**
 * Keyed by the better-sqlite3 connection, not by the drizzle wrapper: two wrappers of one
 * connection share its statements, and a connection closed and opened again is a new object, so
 * no statement of a closed connection is ever handed to another one. Weak, so that a connection
 * (a test's, say) and its statements go when nothing else holds it.
 */
const byConnection = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[]>>>();

/**
 * `sql` prepared on `db`'s connection: compiled on the first call, the same statement after.
 * The cache holds one statement per distinct text for the connection's life, so `sql` must come
 * from a bounded set: fixed text, or a few variants (`preparedIn` for `in (...)` lists). Values
 * are always bound, never spliced into the text.
 *
 * Every caller of one text shares one statement, so:
 * - never change its mode (`pluck`, `raw`, `expand`, `safeIntegers`) or `bind` it: that would
 *   change what every other caller gets. Prepare such a statement with `db.$client.prepare`.
 * - read it with `get`, `all` or `run`, which finish before they return. A statement being
 *   `iterate`d is busy until the iteration ends, and any other use of it in between throws.
 *
 * Type parameters as `Database.prepare`'s: the bound parameters (a tuple, or one object of named
 * ones), then the row.
 */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(
  db: Db,
  sql: string,
): Database.Statement<P, R> {
  const connection = db.$client;
  let statements = byConnection.get(connection);
  if (!statements) {
    statements = new Map();
    byConnection.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as Database.Statement<P, R>;
}

/** Lists up to this long share statements by power-of-two length; longer ones are not cached. */
const LONGEST_SHARED_LIST = 1024;

/**
 * A statement over `sqlOf(placeholders)`, a query with an `x in (...)` list of `values`, and the
 * values to bind for the list: prepared so that lists of any length make a bounded number of
 * texts. A list of up to 1,024 values is padded to the next power of two (at most 11 texts per
 * query) by repeating its first value, which changes nothing for `in`, and the statement is
 * cached as by `prepared`. A longer list gets a statement of its own length, not cached: its
 * compiling is small beside a read of over a thousand keys, and a cached statement per length
 * would grow without bound. Not for `not in`, nor for an empty list; bind the list's values
 * where its placeholders are.
 */
export function preparedIn<T, R = unknown>(
  db: Db,
  values: readonly T[],
  sqlOf: (placeholders: string) => string,
): { statement: Database.Statement<unknown[], R>; values: T[] } {
  if (values.length === 0) throw new Error("An in (...) list needs at least one value");
  const first = values[0] as T;
  if (values.length > LONGEST_SHARED_LIST) {
    const sql = sqlOf(placeholdersFor(values.length));
    return { statement: db.$client.prepare<unknown[], R>(sql), values: [...values] };
  }
  let length = 1;
  while (length < values.length) length *= 2;
  const padded = [...values];
  while (padded.length < length) padded.push(first);
  return { statement: prepared<unknown[], R>(db, sqlOf(placeholdersFor(length))), values: padded };
}

const placeholdersFor = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
