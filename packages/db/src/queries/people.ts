import { inArray } from "drizzle-orm";
import type { Db } from "../open.ts";
import { users } from "../schema.ts";

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** Names and emails of these users, in one query: for lists of attendees and waiting people. */
export function peopleByIds(db: Db, userIds: Iterable<string>): Map<string, Person> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}
