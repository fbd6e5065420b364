import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./testing.ts";

const seedScript = join(import.meta.dir, "../../../scripts/seed.ts");
let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

async function seed(): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(["bun", seedScript], {
    env: { ...process.env, SEED_URL: ts.url },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, out: out + err };
}

describe("bun run seed", () => {
  it("creates six published events against a fresh server, and nothing more the second time", async () => {
    const first = await seed();
    expect(first).toMatchObject({ code: 0 });
    const listed = await ts.client().events.list.query({ limit: 100 });
    expect(listed.items).toHaveLength(6);
    const second = await seed();
    expect(second.code).toBe(0);
    expect((await ts.client().events.list.query({ limit: 100 })).items).toHaveLength(6);
  }, 60_000);
});
