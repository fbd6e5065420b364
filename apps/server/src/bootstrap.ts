import { type Logger, randomString } from "@boxoffice/api";
import { type Db, schema } from "@boxoffice/db";
import { eq } from "drizzle-orm";

/**
 * Creates the configured admin if no user has that email yet. An existing account is never
 * changed: not its password (the env var may be stale after a change in the app), and not its
 * role, since promoting whoever registered that email first could hand admin to a stranger.
 */
export async function ensureBootstrapAdmin(
  db: Db,
  admin: { email: string; password: string },
  logger: Logger,
): Promise<void> {
  const email = admin.email.trim().toLowerCase();
  const existing = db
    .select({ id: schema.users.id, role: schema.users.role })
    .from(schema.users)
    .where(eq(schema.users.email, email))
    .get();
  if (existing) {
    if (existing.role !== "admin") {
      logger.warn("bootstrap admin email belongs to a non-admin account; left unchanged", {
        email,
        role: existing.role,
      });
    }
    return;
  }
  const passwordHash = await Bun.password.hash(admin.password, { algorithm: "argon2id" });
  const inserted = db
    .insert(schema.users)
    .values({
      id: `usr_${randomString()}`,
      email,
      name: "Administrator",
      role: "admin",
      passwordHash,
      createdAt: Date.now(),
    })
    // Another process starting on the same file may have won the race: that admin stands.
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 1) logger.info("bootstrap admin created", { email });
}
