import { describe, expect, it } from "bun:test";
import type { RouterOutputs } from "../../lib/trpc.ts";
import {
  type EventFormState,
  emptyForm,
  formErrors,
  formFromEvent,
  inWords,
  labelOf,
  toUpdate,
  validateEvent,
} from "./event-form-state.ts";

const NOW = Date.parse("2030-01-01T00:00:00Z");

const form = (patch: Partial<EventFormState>): EventFormState => ({
  ...emptyForm(),
  title: "Berlin night",
  timezone: "Europe/Berlin",
  startsAt: "2030-06-01T19:00",
  ...patch,
});

type EventDto = RouterOutputs["events"]["get"];

const stored = {
  id: "evt_1",
  venueId: null,
  status: "draft",
  title: "Berlin night",
  description: "",
  venueName: null,
  startsAt: "2030-06-01T17:00:00.000Z",
  endsAt: null,
  timezone: "Europe/Berlin",
  salesStartAt: "2030-05-01T08:00:00.000Z",
  salesEndAt: null,
  capacity: null,
  maxPerOrder: 10,
  maxPerUser: null,
  holdSeconds: 600,
  currency: "EUR",
  ticketTypes: [
    { id: "tt_a", name: "A", priceCents: 1000, capacity: 10 },
    { id: "tt_b", name: "B", priceCents: 2000, capacity: 5 },
  ],
  waitlist: { enabled: false, mode: "offer", offerSeconds: 86_400 },
  cancellationPolicy: { refundable: true, feeCents: 0, rules: [] },
  guestCheckout: true,
  personalizedTickets: "off",
  editCutoffHours: 0,
  questions: [],
  onSaleRoom: {
    enabled: false,
    opensAt: null,
    admitPerMinute: null,
    tokenSeconds: 600,
    graceSeconds: 120,
    difficulty: 4,
  },
} as unknown as EventDto;

describe("event form: times in the event's zone", () => {
  it("reads 19:00 as 19:00 in the event's zone, whatever the browser's zone", () => {
    const result = validateEvent(form({ salesStartAt: "2030-05-01T10:00" }), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.startsAt).toBe("2030-06-01T17:00:00.000Z");
    expect(result.input.salesStartAt).toBe("2030-05-01T08:00:00.000Z");
    expect(result.input.timezone).toBe("Europe/Berlin");
  });

  it("shows a stored event's times in its zone, and saves them back unchanged", () => {
    const s = formFromEvent(stored);
    expect(s.startsAt).toBe("2030-06-01T19:00");
    expect(s.salesStartAt).toBe("2030-05-01T10:00");
    const result = validateEvent(s, NOW, stored.startsAt);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.startsAt).toBe(stored.startsAt);
    expect(result.input.salesStartAt).toBe(stored.salesStartAt);
  });

  it("refuses a time the clocks skip that night", () => {
    const result = validateEvent(form({ startsAt: "2030-03-31T02:30" }), NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.startsAt).toContain("clocks go forward");
  });

  it("refuses a new start in the past, but keeps an edited event's own past start", () => {
    const past = validateEvent(form({ startsAt: "2029-06-01T19:00" }), NOW);
    expect(past.ok ? null : past.errors.startsAt).toBe("Must be in the future");
    const underway = formFromEvent(stored);
    expect(validateEvent(underway, Date.parse("2030-06-02T00:00:00Z"), stored.startsAt).ok).toBe(
      true,
    );
  });
});

describe("event form: errors in the form's words", () => {
  it("puts a hold time under 30 seconds on the minutes field, in seconds and minutes", () => {
    const result = validateEvent(form({ holdMinutes: "0" }), NOW);
    expect(result.ok ? null : result.errors.holdMinutes).toBe("At least 30 seconds (0.5 minutes)");
    const long = validateEvent(form({ holdMinutes: "90" }), NOW);
    expect(long.ok ? null : long.errors.holdMinutes).toBe("At most 60 minutes");
  });

  it("names fields by their labels, never by the API's names", () => {
    const result = validateEvent(form({ endsAt: "2030-06-01T18:00" }), NOW);
    expect(result.ok ? null : result.errors.endsAt).toBe("Must be after Starts at");
    expect(inWords("Sales cannot start after salesEndAt")).toBe(
      "Sales cannot start after Sales end",
    );
    expect(labelOf("ticketTypes.1.capacity")).toBe("Type 2 capacity");
    expect(labelOf("holdMinutes")).toBe("Hold time");
    expect(formErrors({ "waitlist.offerSeconds": "Must be at least 60" })).toEqual({
      offerHours: "At least 1 minute",
    });
    expect(formErrors({ "removeTicketTypeIds.0": "Only from drafts" })).toEqual({
      ticketTypes: "Only from drafts",
    });
  });
});

describe("event form: removing saved ticket types", () => {
  it("sends the removed types' ids with the update", () => {
    const s = formFromEvent(stored);
    const edited = {
      ...s,
      ticketTypes: s.ticketTypes.slice(0, 1),
      removedTypeIds: ["tt_b"],
    };
    const result = validateEvent(edited, NOW, stored.startsAt);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const update = toUpdate("evt_1", edited, result.input);
    expect(update.removeTicketTypeIds).toEqual(["tt_b"]);
    expect(update.ticketTypes).toEqual([
      { id: "tt_a", name: "A", priceCents: 1000, capacity: 10, hidden: false },
    ]);
  });

  it("sends a type marked hidden (sold only with an access code)", () => {
    const s = formFromEvent(stored);
    const edited = { ...s, ticketTypes: s.ticketTypes.map((t) => ({ ...t, hidden: true })) };
    const result = validateEvent(edited, NOW, stored.startsAt);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.ticketTypes?.every((t) => t.hidden === true)).toBe(true);
  });

  it("sends no venue name for a seated event: the seat map's name is the venue's", () => {
    const result = validateEvent(
      form({ seating: "seated", venueId: "ven_1", venueName: "X" }),
      NOW,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.venueName).toBeUndefined();
    expect(result.input.venueId).toBe("ven_1");
  });
});
