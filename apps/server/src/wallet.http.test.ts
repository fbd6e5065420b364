/**
 * Apple Wallet over HTTP on a real server (docs/API.md "wallet"): an organizer's signing set-up
 * proved before it is stored, passes offered only with one, and Apple's pass web service:
 * registrations, changed serials, the pass as it is now.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { testWalletMaterial, unzip } from "@boxoffice/mail/testing";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;
const material = testWalletMaterial();
const setup = {
  passTypeIdentifier: material.passTypeIdentifier,
  teamIdentifier: material.teamIdentifier,
  signerCert: material.signerCert,
  signerKey: material.signerKey,
  wwdr: material.wwdr,
};

beforeAll(async () => {
  ts = await startTestServer({ GUEST_HOLDS_PER_IP_PER_MINUTE: "100000" });
});

afterAll(async () => {
  await ts.stop();
});

type Failure = { data?: { code?: string; issues?: { path: string }[] } };
const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error("Expected a refusal");
    },
    (error: Failure) => error.data,
  );

const passJsonOf = (bytes: Uint8Array) =>
  JSON.parse(new TextDecoder().decode(unzip(bytes).get("pass.json")));

/** An organizer with Wallet set up, and a guest's order of two tickets for their event. */
async function walletOrder() {
  const organizer = await ts.register("organizer");
  await organizer.client.wallet.set.mutate(setup);
  const event = await publishedEvent(organizer.client, {
    title: "Tiny Desk",
    personalizedTickets: "name",
  });
  const booked = await ts.client().bookings.book.mutate({
    eventId: event.id,
    items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 2 }],
    buyer: { email: `w-${Math.random().toString(36).slice(2, 8)}@example.test`, name: "Wanda" },
    attendees: [{ name: "Wanda" }, { name: "Vision" }],
  });
  if (booked.status !== "confirmed") throw new Error("not booked");
  const token = booked.booking.orderToken ?? "";
  const codes = booked.booking.tickets.map((t) => t.code);
  return { organizer, event, token, codes, booking: booked.booking };
}

async function passOf(token: string, code: string) {
  const response = await fetch(`${ts.url}/files/orders/${token}/${code}.pkpass`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
  return new Uint8Array(await response.arrayBuffer());
}

describe("an organizer's Wallet set-up", () => {
  it("is proved by signing a test pass, stored, shown without its key, and removed", async () => {
    const organizer = await ts.register("organizer");
    expect(await organizer.client.wallet.get.query()).toEqual({ configured: false });
    const set = await organizer.client.wallet.set.mutate(setup);
    expect(set).toMatchObject({
      configured: true,
      passTypeIdentifier: "pass.org.example.tickets",
      teamIdentifier: "ABCDE12345",
      certificateSubject: "Pass Type ID: pass.org.example.tickets",
    });
    expect(
      Date.parse((set as { certificateExpiresAt: string }).certificateExpiresAt),
    ).toBeGreaterThan(Date.now());
    expect(JSON.stringify(await organizer.client.wallet.get.query())).not.toContain("PRIVATE KEY");
    expect(await organizer.client.wallet.remove.mutate()).toEqual({ configured: false });
    expect(await organizer.client.wallet.get.query()).toEqual({ configured: false });
  });

  it("names the field to fix: a key of another certificate, a wrong passphrase, another pass type", async () => {
    const organizer = await ts.register("organizer");
    const cases: [Record<string, string>, string][] = [
      [{ signerKey: material.strangerKey }, "signerKey"],
      [{ signerKey: material.encryptedKey, signerKeyPassphrase: "wrong" }, "signerKeyPassphrase"],
      [{ passTypeIdentifier: "pass.org.example.other" }, "passTypeIdentifier"],
      [{ wwdr: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----" }, "wwdr"],
    ];
    for (const [change, field] of cases) {
      const refused = await failure(organizer.client.wallet.set.mutate({ ...setup, ...change }));
      expect(refused?.code).toBe("BAD_REQUEST");
      expect(refused?.issues?.map((i) => i.path)).toEqual([field]);
    }
    expect(await organizer.client.wallet.get.query()).toEqual({ configured: false });
    // The right passphrase opens the encrypted key.
    const encrypted = {
      ...setup,
      signerKey: material.encryptedKey,
      signerKeyPassphrase: material.passphrase,
    };
    expect((await organizer.client.wallet.set.mutate(encrypted)).configured).toBe(true);
  });

  it("is for organizers only", async () => {
    const attendee = await ts.register();
    expect((await failure(attendee.client.wallet.get.query()))?.code).toBe("FORBIDDEN");
  });
});

describe("passes", () => {
  it("are offered and downloadable once the organizer set up Wallet, one per ticket", async () => {
    const { token, codes, booking } = await walletOrder();
    expect((await ts.client().orders.get.query({ orderToken: token })).walletPasses).toBe(true);
    for (const code of codes) {
      const pass = passJsonOf(await passOf(token, code));
      expect(pass.serialNumber).toBe(code);
      expect(pass.barcodes[0].message).toBe(code);
      expect(pass.webServiceURL).toBe(`${ts.url}/wallet`);
      expect(pass.voided).toBe(false);
    }
    expect(unzip(await passOf(token, codes[0] ?? "")).has("signature")).toBe(true);
    // Not a ticket of this order: no pass.
    const other = await fetch(`${ts.url}/files/orders/${token}/AAAA-BBBB-CCCC.pkpass`);
    expect(other.status).toBe(404);
    expect(booking.tickets).toHaveLength(2);
  });

  it("show in My bookings only for events whose organizer set up Wallet", async () => {
    const withWallet = await ts.register("organizer");
    await withWallet.client.wallet.set.mutate(setup);
    const without = await ts.register("organizer");
    const buyer = await ts.register();
    for (const organizer of [withWallet, without]) {
      const event = await publishedEvent(organizer.client, { title: organizer.email });
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
      });
    }
    const mine = await buyer.client.bookings.mine.query({});
    const flags = mine.items.map((b) => b.walletPasses).sort();
    expect(flags).toEqual([false, true]);
  });
});

describe("Apple's pass web service", () => {
  it("registers a device with the pass's token, refuses a wrong one, and unregisters", async () => {
    const { token, codes } = await walletOrder();
    const pass = passJsonOf(await passOf(token, codes[0] ?? ""));
    const path = `${ts.url}/wallet/v1/devices/device-1/registrations/${pass.passTypeIdentifier}/${pass.serialNumber}`;
    const auth = (t: string) => ({
      authorization: `ApplePass ${t}`,
      "content-type": "application/json",
    });
    const body = JSON.stringify({ pushToken: "push-1" });
    expect((await fetch(path, { method: "POST", headers: auth("wrong"), body })).status).toBe(401);
    expect((await fetch(path, { method: "POST", body })).status).toBe(401);
    const headers = auth(pass.authenticationToken);
    expect((await fetch(path, { method: "POST", headers, body })).status).toBe(201);
    expect((await fetch(path, { method: "POST", headers, body })).status).toBe(200);
    expect((await fetch(path, { method: "DELETE", headers: auth("wrong") })).status).toBe(401);
    expect((await fetch(path, { method: "DELETE", headers })).status).toBe(200);
  });

  it("tells a device which passes changed since its tag, and hands out the changed pass", async () => {
    const { token, codes } = await walletOrder();
    const pass = passJsonOf(await passOf(token, codes[1] ?? ""));
    const type = pass.passTypeIdentifier as string;
    const headers = { authorization: `ApplePass ${pass.authenticationToken}` };
    await fetch(`${ts.url}/wallet/v1/devices/device-2/registrations/${type}/${pass.serialNumber}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ pushToken: "push-2" }),
    });
    const list = `${ts.url}/wallet/v1/devices/device-2/registrations/${type}`;
    const first = await fetch(list);
    expect(first.status).toBe(200);
    const { serialNumbers, lastUpdated } = (await first.json()) as {
      serialNumbers: string[];
      lastUpdated: string;
    };
    expect(serialNumbers).toEqual([pass.serialNumber]);
    expect((await fetch(`${list}?passesUpdatedSince=${lastUpdated}`)).status).toBe(204);

    const latest = `${ts.url}/wallet/v1/passes/${type}/${pass.serialNumber}`;
    const current = await fetch(latest, { headers });
    expect(current.status).toBe(200);
    const modified = current.headers.get("last-modified") ?? "";
    expect(modified).toMatch(/GMT$/);
    const unchanged = await fetch(latest, {
      headers: { ...headers, "if-modified-since": modified },
    });
    expect(unchanged.status).toBe(304);
    expect((await fetch(latest, { headers: { authorization: "ApplePass nope" } })).status).toBe(
      401,
    );

    // A name edited moves the ticket: the device is told, and gets the new pass.
    await Bun.sleep(1_100);
    await ts.client().orders.update.mutate({
      orderToken: token,
      attendees: [{ name: "Wanda" }, { name: "Pietro" }],
    });
    const after = (await (await fetch(`${list}?passesUpdatedSince=${lastUpdated}`)).json()) as {
      serialNumbers: string[];
    };
    expect(after.serialNumbers).toEqual([pass.serialNumber]);
    const renamed = await fetch(latest, { headers: { ...headers, "if-modified-since": modified } });
    expect(renamed.status).toBe(200);
    expect(JSON.stringify(passJsonOf(new Uint8Array(await renamed.arrayBuffer())))).toContain(
      "Pietro",
    );

    // Cancelled: the pass is voided.
    await ts.client().orders.cancel.mutate({ orderToken: token });
    const voided = await fetch(latest, { headers });
    expect(passJsonOf(new Uint8Array(await voided.arrayBuffer())).voided).toBe(true);
  });

  it("accepts Wallet's logs", async () => {
    const response = await fetch(`${ts.url}/wallet/v1/log`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ logs: ["Could not fetch pass"] }),
    });
    expect(response.status).toBe(200);
  });
});
