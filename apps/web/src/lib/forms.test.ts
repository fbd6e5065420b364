import { describe, expect, it } from "bun:test";
import { registerInput } from "@boxoffice/api/schemas/auth";
import { createEventInput } from "@boxoffice/api/schemas/events";
import { emptyForm, validateEvent } from "../pages/organizer/event-form-state.ts";
import { fieldErrors } from "./forms.ts";

describe("form errors from the server's schemas", () => {
  it("names each field in plain words", () => {
    const parsed = registerInput.safeParse({ name: "", email: "nope", password: "short" });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldErrors(parsed.error)).toEqual({
      name: "Required",
      email: "Enter a valid email address",
      password: "Use at least 8 characters",
    });
  });

  it("keys nested issues by their dotted path", () => {
    const parsed = createEventInput.safeParse({
      title: "x",
      startsAt: "2030-01-01T10:00:00Z",
      ticketTypes: [{ name: "A", priceCents: -1, capacity: 1 }],
    });
    if (parsed.success) throw new Error("expected a refusal");
    expect(fieldErrors(parsed.error)["ticketTypes.0.priceCents"]).toBe("Must be at least 0");
  });
});

describe("the event form", () => {
  it("refuses a form without title or start, naming both", () => {
    const result = validateEvent(emptyForm());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["startsAt", "title"]);
  });

  it("turns prices in currency units into cents and hours into seconds", () => {
    const form = {
      ...emptyForm(),
      title: "Gig",
      startsAt: "2030-05-01T20:00",
      ticketTypes: [{ name: "GA", price: "12.50", capacity: "100" }],
      waitlistEnabled: true,
      offerHours: "2",
      rules: [{ hoursBeforeStart: "48", refundPercent: "50" }],
    };
    const result = validateEvent(form);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input.ticketTypes?.[0]?.priceCents).toBe(1250);
    expect(result.input.waitlist?.offerSeconds).toBe(7200);
    expect(result.input.cancellationPolicy?.rules).toEqual([
      { hoursBeforeStart: 48, refundPercent: 50 },
    ]);
  });

  it("catches cross-field rules: the end must come after the start", () => {
    const result = validateEvent({
      ...emptyForm(),
      title: "Gig",
      startsAt: "2030-05-01T20:00",
      endsAt: "2030-05-01T19:00",
    });
    expect(result.ok).toBe(false);
    // In the form's words: the field's label, not the API's name.
    if (!result.ok) expect(result.errors.endsAt).toBe("Must be after Starts at");
  });
});
