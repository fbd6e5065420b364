import { type Logger, randomString } from "@boxoffice/api";
import { type Db, schema } from "@boxoffice/db";
import { eq } from "drizzle-orm";

/** Creates the configured admin if no user has that email yet; never changes an existing one. */
export async function ensureBootstrapAdmin(
  db: Db,
  admin: { email: string; password: string },
  logger: Logger,
): Promise<void> {
  const email = admin.email.toLowerCase();
  const existing = db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.email, email))
    .get();
  if (existing) return;
  const passwordHash = await Bun.password.hash(admin.password, { algorithm: "argon2id" });
  db.insert(schema.users)
    .values({
      id: `usr_${randomString()}`,
      email,
      name: "Administrator",
      role: "admin",
      passwordHash,
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .run();
  logger.info("bootstrap admin created", { email });
}
