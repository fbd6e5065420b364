import { describe, expect, it } from "bun:test";
import { emptyForm, labelOf, toUpdate, validateEvent } from "./event-form-state.ts";
import {
  emptyQuestion,
  previewQuestions,
  type QuestionRow,
  questionMoves,
  readQuestions,
  rowsFromQuestions,
} from "./question-form-state.ts";

const NOW = Date.parse("2030-01-01T00:00:00Z");

const row = (patch: Partial<QuestionRow>): QuestionRow => ({ ...emptyQuestion(), ...patch });

describe("question builder: the list", () => {
  it("moves a question up and down, and not past either end", () => {
    const rows = [row({ label: "A" }), row({ label: "B" }), row({ label: "C" })];
    const labels = (rs: QuestionRow[]) => rs.map((r) => r.label);
    expect(labels(questionMoves.move(rows, 2, -1))).toEqual(["A", "C", "B"]);
    expect(labels(questionMoves.move(rows, 0, 1))).toEqual(["B", "A", "C"]);
    expect(labels(questionMoves.move(rows, 0, -1))).toEqual(["A", "B", "C"]);
    expect(labels(questionMoves.move(rows, 2, 1))).toEqual(["A", "B", "C"]);
  });

  it("gives a question turned into a choice two options to fill in", () => {
    const rows = questionMoves.change([row({ label: "Diet" })], 0, { kind: "choice" });
    expect(rows[0]?.options).toEqual(["", ""]);
  });

  it("removes a question and adds new ones with keys of their own", () => {
    const rows = questionMoves.add(questionMoves.add([]));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.key).not.toBe(rows[1]?.key);
    expect(questionMoves.remove(rows, 0)).toEqual([rows[1] as QuestionRow]);
  });
});

describe("question builder: what is sent", () => {
  it("keeps a saved question's id, sends options only for choices, drops empty option lines", () => {
    const saved = rowsFromQuestions([
      {
        id: "q_1",
        label: "Diet",
        kind: "choice",
        options: ["Vegan", "Anything"],
        required: true,
        per: "ticket",
        ticketTypeIds: ["tt_a"],
        helpText: "For the caterer",
      },
    ]);
    const edited = questionMoves.change(saved, 0, { options: ["Vegan", "", "Anything", "Fish"] });
    const result = readQuestions([...edited, row({ label: "Company", options: ["stale"] })]);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.questions).toEqual([
      {
        id: "q_1",
        label: "Diet",
        kind: "choice",
        options: ["Vegan", "Anything", "Fish"],
        required: true,
        per: "ticket",
        ticketTypeIds: ["tt_a"],
        helpText: "For the caterer",
      },
      { label: "Company", kind: "text", required: false, per: "order" },
    ]);
  });

  it("puts the schema's errors at the question's fields, in the form's words", () => {
    const result = readQuestions([
      row({ label: "Fine" }),
      row({ label: "", kind: "multichoice", options: ["A", "A"] }),
      row({ label: "Size", kind: "choice", options: ["", " "] }),
    ]);
    expect(result.ok ? null : result.errors).toEqual({
      "questions.1.label": "Required",
      "questions.1.options": '"A" is listed twice',
      "questions.2.options": "Give at least one option",
    });
    expect(labelOf("questions.1.label")).toBe("Question 2");
    expect(labelOf("questions.2.options")).toBe("Question 3 options");
  });

  it("shows the preview with a placeholder for a question not written yet", () => {
    const [q] = previewQuestions([row({ kind: "checkbox", required: true })]);
    expect(q?.label).toBe("(no question yet)");
    expect(q?.required).toBe(true);
  });
});

describe("event form: checkout settings", () => {
  const base = {
    ...emptyForm(),
    title: "Workshop",
    timezone: "Europe/Berlin",
    startsAt: "2030-06-01T19:00",
  };

  it("sends guest checkout (on by default), names on tickets, the edit cutoff and questions", () => {
    const result = validateEvent(
      {
        ...base,
        personalizedTickets: "name",
        editCutoffHours: "48",
        questions: [row({ label: "Company" })],
      },
      NOW,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.input).toMatchObject({
      guestCheckout: true,
      personalizedTickets: "name",
      editCutoffHours: 48,
      questions: [{ label: "Company", kind: "text", required: false, per: "order" }],
    });
    expect(toUpdate("evt_1", base, result.input)).toMatchObject({ editCutoffHours: 48 });
  });

  it("refuses an edit cutoff that is not whole hours, at its field", () => {
    const result = validateEvent({ ...base, editCutoffHours: "1.5" }, NOW);
    expect(result.ok ? null : Object.keys(result.errors)).toEqual(["editCutoffHours"]);
  });
});
