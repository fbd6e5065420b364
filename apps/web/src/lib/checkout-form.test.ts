import { describe, expect, it } from "bun:test";
import {
  answerKey,
  initialCheckoutForm,
  orderQuestions,
  type QuestionView,
  readAnswer,
  readCheckoutForm,
  ticketQuestions,
  ticketSlots,
} from "./checkout-form.ts";

const typeName = (id: string) => (id === "tt_gen" ? "General" : "VIP");

const diet: QuestionView = {
  id: "q_diet",
  label: "Diet",
  kind: "choice",
  options: ["Vegan", "Vegetarian", "Anything"],
  required: true,
  per: "ticket",
};
const company: QuestionView = {
  id: "q_company",
  label: "Company",
  kind: "text",
  required: false,
  per: "order",
};
const vipShirt: QuestionView = {
  id: "q_shirt",
  label: "Shirt size",
  kind: "choice",
  options: ["S", "M", "L"],
  required: true,
  per: "ticket",
  ticketTypeIds: ["tt_vip"],
};
const consent: QuestionView = {
  id: "q_ok",
  label: "I agree to be photographed",
  kind: "checkbox",
  required: true,
  per: "order",
};

describe("checkout form: tickets and the questions asked of each", () => {
  it("numbers tickets as the server does: items in order, each quantity times", () => {
    const slots = ticketSlots(
      {
        items: [
          { ticketTypeId: "tt_gen", quantity: 2 },
          { ticketTypeId: "tt_vip", quantity: 1 },
        ],
        seatIds: [],
      },
      typeName,
    );
    expect(slots.map((s) => s.label)).toEqual([
      "Ticket 1 · General",
      "Ticket 2 · General",
      "Ticket 3 · VIP",
    ]);
  });

  it("labels seats by their names, in seatIds order, with their section's type", () => {
    const slots = ticketSlots(
      { items: [{ ticketTypeId: "tt_stalls", quantity: 2 }], seatIds: ["s1-r1-5", "s1-r1-4"] },
      typeName,
      { label: (id) => `Stalls row A seat ${id.slice(-1)}`, type: () => "tt_stalls" },
    );
    expect(slots.map((s) => [s.label, s.ticketTypeId])).toEqual([
      ["Ticket 1 · Stalls row A seat 5", "tt_stalls"],
      ["Ticket 2 · Stalls row A seat 4", "tt_stalls"],
    ]);
  });

  it("asks a question limited to a type only of those tickets, or of orders holding one", () => {
    const slots = ticketSlots(
      { items: [{ ticketTypeId: "tt_gen", quantity: 1 }], seatIds: [] },
      typeName,
    );
    const vipOrder: QuestionView = { ...vipShirt, per: "order", id: "q_vip_order" };
    const [general] = slots;
    if (!general) throw new Error("no slot");
    expect(ticketQuestions([diet, vipShirt], general).map((q) => q.id)).toEqual(["q_diet"]);
    expect(orderQuestions([company, vipOrder], slots).map((q) => q.id)).toEqual(["q_company"]);
  });

  it("fills the first ticket's name from the buyer, and no other", () => {
    const slots = ticketSlots(
      { items: [{ ticketTypeId: "tt_gen", quantity: 2 }], seatIds: [] },
      typeName,
    );
    const form = initialCheckoutForm(slots, { name: "Ada", email: "ada@example.test" });
    expect(form.attendees).toEqual([
      { name: "Ada", email: "ada@example.test" },
      { name: "", email: "" },
    ]);
  });
});

describe("checkout form: inline validation", () => {
  const slots = ticketSlots(
    { items: [{ ticketTypeId: "tt_gen", quantity: 2 }], seatIds: [] },
    typeName,
  );

  it("names a missing required answer at its ticket's field, and each missing name", () => {
    const form = {
      attendees: [
        { name: "Ada", email: "" },
        { name: " ", email: "" },
      ],
      answers: { [answerKey("q_diet", 0)]: "Vegan" },
    };
    const result = readCheckoutForm(form, [diet, company], slots, "name");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      "attendees.1.name": "Required",
      "answers.q_diet.1": "Required",
    });
  });

  it("sends names, per-ticket answers with their index, and skips empty optional answers", () => {
    const form = {
      attendees: [
        { name: "Ada", email: "ADA@example.test" },
        { name: "Grace", email: "grace@example.test" },
      ],
      answers: {
        [answerKey("q_diet", 0)]: "Vegan",
        [answerKey("q_diet", 1)]: "Anything",
        [answerKey("q_company")]: "  ",
      },
    };
    const result = readCheckoutForm(form, [diet, company], slots, "nameAndEmail");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.attendees).toEqual([
      { name: "Ada", email: "ada@example.test" },
      { name: "Grace", email: "grace@example.test" },
    ]);
    expect(result.answers).toEqual([
      { questionId: "q_diet", ticketIndex: 0, value: "Vegan" },
      { questionId: "q_diet", ticketIndex: 1, value: "Anything" },
    ]);
  });

  it("sends no attendees when the event does not name tickets", () => {
    const result = readCheckoutForm({ attendees: [], answers: {} }, [company], slots, "off");
    expect(result).toEqual({ ok: true, attendees: undefined, answers: [] });
  });

  it("asks for an email per ticket where the event wants name and email", () => {
    const form = {
      attendees: [
        { name: "Ada", email: "" },
        { name: "Grace", email: "not an email" },
      ],
      answers: {},
    };
    const result = readCheckoutForm(form, [], slots, "nameAndEmail");
    expect(result.ok ? null : result.errors).toEqual({
      "attendees.0.email": "Required",
      "attendees.1.email": "Enter a valid email address",
    });
  });

  it("checks each kind: consent must be ticked, numbers, dates, phones, emails, options", () => {
    expect(readAnswer(consent, false)).toEqual({
      ok: false,
      message: "Please tick this box to continue",
    });
    expect(readAnswer(consent, true)).toEqual({ ok: true, value: true });
    const q = (kind: QuestionView["kind"], options?: string[]): QuestionView => ({
      id: "q",
      label: "Q",
      kind,
      options,
      required: false,
      per: "order",
    });
    expect(readAnswer(q("number"), "3,5")).toEqual({ ok: true, value: 3.5 });
    expect(readAnswer(q("number"), "three").ok).toBe(false);
    expect(readAnswer(q("date"), "2030-02-30").ok).toBe(false);
    expect(readAnswer(q("date"), "2030-02-28")).toEqual({ ok: true, value: "2030-02-28" });
    expect(readAnswer(q("phone"), "+49 (30) 123-45").ok).toBe(true);
    expect(readAnswer(q("phone"), "call me").ok).toBe(false);
    expect(readAnswer(q("email"), "x@example.test")).toEqual({ ok: true, value: "x@example.test" });
    expect(readAnswer(q("choice", ["A"]), "B").ok).toBe(false);
    expect(readAnswer(q("multichoice", ["A", "B"]), ["B", "A"])).toEqual({
      ok: true,
      value: ["B", "A"],
    });
    expect(readAnswer(q("multichoice", ["A"]), [])).toEqual({ ok: true, value: null });
    expect(readAnswer(q("checkbox"), undefined)).toEqual({ ok: true, value: false });
  });
});
