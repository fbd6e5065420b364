import { describe, expect, it } from "bun:test";
import {
  codeFormFromCode,
  initialCodeForm,
  readCodeForm,
  readCodeUpdate,
} from "./code-form-state.ts";

const zone = "Europe/Berlin";

describe("readCodeForm", () => {
  it("makes a percent code for every type, with times read in the event's zone", () => {
    const read = readCodeForm(
      {
        ...initialCodeForm(),
        code: " press ",
        percent: "20",
        maxUses: "100",
        validUntil: "2030-06-01T19:00",
      },
      "ev_1",
      zone,
    );
    expect(read).toEqual({
      ok: true,
      mode: "one",
      input: expect.objectContaining({
        eventId: "ev_1",
        code: "PRESS",
        kind: "discount",
        discount: { percent: 20 },
        ticketTypeIds: null,
        maxUses: 100,
        maxUsesPerBuyer: null,
        validUntil: "2030-06-01T17:00:00.000Z",
      }),
    });
  });

  it("leaves the code out when blank so the server generates one", () => {
    const read = readCodeForm(initialCodeForm(), "ev_1", zone);
    expect(read.ok && "code" in read.input).toBe(false);
  });

  it("generates many codes with a prefix and an amount off", () => {
    const read = readCodeForm(
      {
        ...initialCodeForm(),
        mode: "many",
        count: "5",
        prefix: "spk",
        discountType: "amount",
        amount: "5.50",
      },
      "ev_1",
      zone,
    );
    expect(read).toMatchObject({
      ok: true,
      mode: "many",
      input: { count: 5, prefix: "SPK", discount: { amountCents: 550 } },
    });
  });

  it("names the fields that are wrong", () => {
    const read = readCodeForm(
      {
        ...initialCodeForm(),
        code: "a!",
        percent: "150",
        allTypes: false,
        validFrom: "2030-06-02T10:00",
        validUntil: "2030-06-01T10:00",
      },
      "ev_1",
      zone,
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(Object.keys(read.errors).sort()).toEqual([
      "code",
      "percent",
      "ticketTypeIds",
      "validUntil",
    ]);
  });

  it("refuses an access code that neither unlocks a type nor opens sales early", () => {
    const read = readCodeForm({ ...initialCodeForm(), kind: "access" }, "ev_1", zone);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors.kind).toBeDefined();
    const crew = readCodeForm(
      { ...initialCodeForm(), kind: "access", unlocksTicketTypeIds: ["tt_crew"] },
      "ev_1",
      zone,
    );
    expect(crew).toMatchObject({
      ok: true,
      input: { discount: null, unlocksTicketTypeIds: ["tt_crew"] },
    });
  });
});

describe("readCodeUpdate", () => {
  it("round-trips a saved code and clears blank fields with null", () => {
    const saved = {
      id: "cd_1",
      code: "EARLY",
      kind: "discount" as const,
      discount: { amountCents: 500 },
      ticketTypeIds: ["tt_a"],
      maxUses: 10,
      maxUsesPerBuyer: 1,
      validFrom: "2030-06-01T17:00:00.000Z",
      validUntil: null,
      unlocksTicketTypeIds: [],
      opensSalesAt: null,
      eventId: "ev_1",
      disabled: false,
      uses: 0,
      createdAt: "2030-05-01T10:00:00.000Z",
    };
    const form = codeFormFromCode(saved, zone);
    expect(form.validFrom).toBe("2030-06-01T19:00");
    expect(form.amount).toBe("5.00");
    const read = readCodeUpdate({ ...form, maxUses: "" }, "ev_1", "cd_1", zone);
    expect(read).toMatchObject({
      ok: true,
      input: {
        codeId: "cd_1",
        discount: { amountCents: 500 },
        ticketTypeIds: ["tt_a"],
        maxUses: null,
        maxUsesPerBuyer: 1,
        validFrom: "2030-06-01T17:00:00.000Z",
        validUntil: null,
      },
    });
  });
});
