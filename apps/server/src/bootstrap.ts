import { hashPassword, type Logger } from "@boxoffice/api";
import { newId } from "@boxoffice/core";
import { type Db, findUserByEmail, insertUser } from "@boxoffice/db";

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
  const existing = findUserByEmail(db, email);
  if (existing) {
    if (existing.role !== "admin") {
      logger.warn("bootstrap admin email belongs to a non-admin account; left unchanged", {
        email,
        role: existing.role,
      });
    }
    return;
  }
  const inserted = insertUser(db, {
    id: newId("user"),
    email,
    name: "Administrator",
    role: "admin",
    passwordHash: await hashPassword(admin.password),
    createdAt: Date.now(),
  });
  // False when another process starting on the same file won the race: that admin stands.
  if (inserted) logger.info("bootstrap admin created", { email });
}
