/**
 * Control characters over real HTTP (docs/API.md "Wire format"): a CR/LF in a single-line field
 * is a 400 whose issues name the field, before anything is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startTestServer, type TestServer } from "./testing.ts";

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe("control characters over HTTP", () => {
  it("refuses a CR/LF in an event title with 400 naming title, and stores nothing", async () => {
    const { token, client } = t.user("organizer");
    const res = await fetch(`${t.url}/trpc/events.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title: "Jazz night\r\nBcc: everyone@example.test",
        startsAt: "2027-01-01T20:00:00Z",
        ticketTypes: [{ name: "General", priceCents: 0, capacity: 10 }],
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: {
        message: string;
        data: { code: string; issues: { path: string; message: string }[] };
      };
    };
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.data.issues).toEqual([
      { path: "title", message: "Must not contain control characters" },
    ]);
    expect(body.error.message).toContain("title: Must not contain control characters");
    expect((await client.events.list.query({ mine: true })).items).toEqual([]);
  });
});
