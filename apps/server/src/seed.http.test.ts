import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./testing.ts";

const seedScript = join(import.meta.dir, "../../../scripts/seed.ts");
const ADMIN = {
  BOOTSTRAP_ADMIN_EMAIL: "root@example.test",
  BOOTSTRAP_ADMIN_PASSWORD: "root password 1",
};
let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer(ADMIN);
});

afterAll(async () => {
  await ts.stop();
});

async function seed(env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(["bun", seedScript], {
    env: {
      ...process.env,
      BOOTSTRAP_ADMIN_EMAIL: "",
      BOOTSTRAP_ADMIN_PASSWORD: "",
      ...env,
      SEED_URL: ts.url,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code: await proc.exited, out: out + err };
}

/** "19:30" for an instant read in `zone`. */
const wallClock = (iso: string, zone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: zone }).format(Date.parse(iso));

async function signIn(email: string, password = "boxoffice-demo") {
  const { token, user } = await ts.client().auth.login.mutate({ email, password });
  return { client: ts.client(token), user };
}

describe("bun run seed", () => {
  it("makes the tour's events at local times, a seated one, a sold-out one with a waitlist, and prints the logins", async () => {
    const first = await seed();
    expect(first.code).toBe(0);
    for (const login of ["ada@boxoffice.example", "alan@boxoffice.example"]) {
      expect(first.out).toContain(login);
    }
    expect(first.out).toContain('password "boxoffice-demo"');
    // Without the bootstrap admin's credentials no admin can be made, and the output says how.
    expect(first.out).toContain("BOOTSTRAP_ADMIN_EMAIL");

    const listed = (await ts.client().events.list.query({ limit: 100 })).items;
    expect(listed).toHaveLength(7);
    const byTitle = new Map(listed.map((e) => [e.title, e]));
    const jazz = byTitle.get("Jazz on the River");
    expect(jazz?.timezone).toBe("Europe/Berlin");
    expect(wallClock(jazz?.startsAt ?? "", "Europe/Berlin")).toBe("19:30");
    for (const e of listed) {
      const hour = Number(wallClock(e.startsAt, e.timezone).slice(0, 2));
      expect(hour, `${e.title} at a sensible local hour`).toBeGreaterThanOrEqual(9);
      expect(hour, `${e.title} at a sensible local hour`).toBeLessThanOrEqual(21);
    }

    const soldOut = byTitle.get("Tiny Desk Session");
    expect(soldOut?.availability).toMatchObject({ available: 0, sold: 4, waitlistLength: 1 });

    const seated = byTitle.get("Winter Sonata");
    const map = await ts.client().events.seatMapCompact.query({ eventId: seated?.id ?? "" });
    const statuses = map.sections.flatMap((s) => s.rows.map((r) => r.statuses)).join("");
    expect(statuses.split("b")).toHaveLength(6);

    // The workshop's guest order: two named places with answers, its link printed once.
    const link = /orders\/(bkg_[a-z0-9]+\.[a-z0-9]{26})/.exec(first.out)?.[1];
    expect(link, "the guest order's link is printed").toBeDefined();
    const order = await ts.client().orders.get.query({ orderToken: link ?? "" });
    expect(order.event.title).toBe("Analytical Engine Workshop");
    expect(order.booking.buyer.email).toBe("charles@guest.example");
    expect(order.booking.tickets.map((t) => t.attendee?.name)).toEqual([
      "Charles Babbage",
      "Augusta Ada King",
    ]);
    expect(order.booking.answers.map((a) => a.label)).toContain("Lunch");

    // The headline event's codes: the crew's code shows the hidden Crew type.
    const crew = await ts
      .client()
      .events.applyCode.query({ eventId: jazz?.id ?? "", code: "crew" });
    expect(crew.unlocks.map((t) => t.name)).toEqual(["Crew"]);
    const early = await ts.client().events.applyCode.query({
      eventId: jazz?.id ?? "",
      code: "EARLYBIRD",
    });
    expect(early.discount).toEqual({ percent: 20 });
  }, 90_000);

  it("makes an admin when given the bootstrap admin, and nothing twice on later runs", async () => {
    const alan = await signIn("alan@boxoffice.example");
    const before = await alan.client.bookings.mine.query({ limit: 50 });
    const second = await seed(ADMIN);
    expect(second.code).toBe(0);
    expect(second.out).toContain("Nothing new: already seeded.");
    expect(second.out).toContain("admin      ida@boxoffice.example");
    expect((await signIn("ida@boxoffice.example")).user.role).toBe("admin");

    const third = await seed(ADMIN);
    expect(third.code).toBe(0);
    expect(third.out).toContain("Nothing new: already seeded.");
    expect((await ts.client().events.list.query({ limit: 100 })).items).toHaveLength(7);
    const after = await alan.client.bookings.mine.query({ limit: 50 });
    expect(after.items.map((b) => b.id).sort()).toEqual(before.items.map((b) => b.id).sort());
  }, 90_000);
});
