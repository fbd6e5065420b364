import { describe, expect, it } from "bun:test";
import { DEFAULT_LIMITS } from "@boxoffice/api";
import { ConfigError, loadConfig } from "./env.ts";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      databasePath: "./data/boxoffice.db",
      dbSynchronous: "FULL",
      sessionDays: 30,
      publicOrigin: null,
      bootstrapAdmin: null,
      rateLimitAuthPerMinute: 60,
      mail: {
        transport: "log",
        smtpUrl: null,
        from: "Boxoffice <no-reply@localhost>",
        broadcastsPerMinute: 600,
      },
      mailPreview: false,
      groupCommit: true,
      logRequests: true,
      limits: DEFAULT_LIMITS,
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", DB_SYNCHRONOUS: "" }).port).toBe(3000);
  });

  it("reads every variable it documents", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      DATABASE_PATH: "/var/lib/boxoffice/db.sqlite",
      DB_SYNCHRONOUS: "NORMAL",
      SESSION_DAYS: "7",
      PUBLIC_ORIGIN: "https://tickets.example/some/path",
      BOOTSTRAP_ADMIN_EMAIL: "Root@Example.test",
      BOOTSTRAP_ADMIN_PASSWORD: "a long admin password",
      RATE_LIMIT_AUTH_PER_MINUTE: "5",
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      databasePath: "/var/lib/boxoffice/db.sqlite",
      dbSynchronous: "NORMAL",
      sessionDays: 7,
      // Only the origin: that is what browsers send in the Origin header.
      publicOrigin: "https://tickets.example",
      bootstrapAdmin: { email: "root@example.test", password: "a long admin password" },
      rateLimitAuthPerMinute: 5,
    });
  });

  for (const port of ["abc", "70000", "-1", "3.5"]) {
    it(`refuses PORT=${port} with a ConfigError naming PORT`, () => {
      expect(configError({ PORT: port }).message).toContain("PORT");
    });
  }

  it("refuses an unknown DB_SYNCHRONOUS with a ConfigError naming it", () => {
    const error = configError({ DB_SYNCHRONOUS: "SOMETIMES" });
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain("DB_SYNCHRONOUS");
  });

  const refused: [string, Record<string, string>][] = [
    ["SESSION_DAYS", { SESSION_DAYS: "0" }],
    ["PUBLIC_ORIGIN", { PUBLIC_ORIGIN: "ftp://tickets.example" }],
    ["PUBLIC_ORIGIN", { PUBLIC_ORIGIN: "not a url" }],
    ["RATE_LIMIT_AUTH_PER_MINUTE", { RATE_LIMIT_AUTH_PER_MINUTE: "0" }],
    [
      "BOOTSTRAP_ADMIN_EMAIL",
      { BOOTSTRAP_ADMIN_EMAIL: "nope", BOOTSTRAP_ADMIN_PASSWORD: "long enough" },
    ],
    ["BOOTSTRAP_ADMIN_PASSWORD", { BOOTSTRAP_ADMIN_EMAIL: "root@example.test" }],
    [
      "BOOTSTRAP_ADMIN_PASSWORD",
      { BOOTSTRAP_ADMIN_EMAIL: "a@b.test", BOOTSTRAP_ADMIN_PASSWORD: "short" },
    ],
    ["BOOTSTRAP_ADMIN_EMAIL", { BOOTSTRAP_ADMIN_PASSWORD: "long enough" }],
    ["SMTP_URL", { MAIL_TRANSPORT: "smtp" }],
    ["MAIL_TRANSPORT", { MAIL_TRANSPORT: "pigeon" }],
  ];
  for (const [variable, env] of refused) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      expect(configError(env).message).toContain(variable);
    });
  }
});
