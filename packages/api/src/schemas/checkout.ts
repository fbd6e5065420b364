/**
 * Checkout for everyone (docs/API.md "Guest checkout", "Questions", "orders"): who buys without
 * an account, the name on each ticket, and the organizer's questions. Plain zod, shared with the
 * web app's forms; whether answers fit an event's questions is core's rule (`checkoutIssues`),
 * decided once, with the hold's tickets in hand.
 */
import { QUESTION_KINDS, type QuestionKind } from "@boxoffice/core";
import { z } from "zod";
import { emailSchema } from "./auth.ts";
import { idSchema as id, singleLine } from "./text.ts";

export { QUESTION_KINDS, type QuestionKind };

export const MAX_QUESTIONS = 30;
export const MAX_OPTIONS = 50;
/** The longest answer: a longtext answer; every other kind is one line of at most 500. */
export const MAX_LONG_ANSWER = 4000;
export const MAX_ANSWER = 500;

const label = singleLine(1, 200);

/**
 * One question as the organizer writes it (events.create / events.update `questions`): the whole
 * list is sent each time, in the order buyers see it. With `id`, that question is edited (its
 * answers so far keep the label they were given under); without, it is new. Saved questions
 * missing from the list are removed (their answers stay, with their labels).
 */
export const questionInput = z
  .object({
    id: id.optional(),
    label,
    kind: z.enum(QUESTION_KINDS),
    /** For choice and multichoice: what may be picked, in order, no duplicates. */
    options: z.array(singleLine(1, 200)).max(MAX_OPTIONS).optional(),
    required: z.boolean().default(false),
    /** Asked once per order, or once per ticket (then of each ticket's attendee). */
    per: z.enum(["order", "ticket"]).default("order"),
    /** Asked only for tickets of these types (per ticket), or of orders holding one (per order). */
    ticketTypeIds: z.array(id).max(50).optional(),
    helpText: singleLine(0, 500).optional(),
  })
  .superRefine((q, ctx) => {
    const choosing = q.kind === "choice" || q.kind === "multichoice";
    if (choosing && (q.options?.length ?? 0) < 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "Give at least one option" });
    }
    if (!choosing && q.options !== undefined && q.options.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "Only choice questions have options",
      });
    }
    const seen = new Set<string>();
    for (const [i, option] of (q.options ?? []).entries()) {
      if (seen.has(option)) {
        ctx.addIssue({
          code: "custom",
          path: ["options", i],
          message: `"${option}" is listed twice`,
        });
      }
      seen.add(option);
    }
  });
export type QuestionInput = z.input<typeof questionInput>;

export const questionsInput = z.array(questionInput).max(MAX_QUESTIONS);

/** Whose tickets need a name (and an email): nobody's, every ticket's name, or name and email. */
export const PERSONALIZATION = ["off", "name", "nameAndEmail"] as const;
export const personalizedTicketsInput = z.enum(PERSONALIZATION);

/** Hours before the start until which attendees may edit names and answers (0: until start). */
export const editCutoffHoursInput = z
  .number()
  .int()
  .min(0)
  .max(24 * 365);

/** Who buys without an account: where the mail goes and the name on the order. */
export const buyerInput = z.object({
  email: emailSchema,
  name: singleLine(1, 200),
});
export type BuyerInput = z.infer<typeof buyerInput>;

/** Whose guest hold it is (bookings.getHold, bookings.releaseHold): the email is what counts. */
export const buyerRefInput = z.object({
  email: emailSchema,
  name: singleLine(1, 200).optional(),
});

/** One per ticket, in the order of the booking's tickets (items in order, then seats). */
export const attendeeInput = z.object({
  name: singleLine(1, 200),
  email: emailSchema.optional(),
});
export const attendeesInput = z.array(attendeeInput).max(1000);

/**
 * An answer's value by the question's kind: text, longtext, email, phone, date (YYYY-MM-DD) and
 * choice take a string; multichoice a list of options; checkbox a boolean; number a number.
 * The kind itself is checked against the question by core.
 */
export const answerValue = z.union([
  z.string().max(MAX_LONG_ANSWER),
  z.number().finite(),
  z.boolean(),
  z.array(singleLine(1, 200)).max(MAX_OPTIONS),
]);
export type AnswerValue = z.infer<typeof answerValue>;

export const answerInput = z.object({
  questionId: id,
  /** 0-based index of the ticket, for per-ticket questions; absent for per-order ones. */
  ticketIndex: z.number().int().min(0).max(999).optional(),
  value: answerValue,
});
export const answersInput = z.array(answerInput).max(MAX_QUESTIONS * 100);

/** What confirm and book take besides the payment: names and answers. */
export const checkoutFields = {
  attendees: attendeesInput.optional(),
  answers: answersInput.optional(),
};

/**
 * An order's secret link token as sent back (26 symbols, 130 bits). Any other text of a sane
 * length is simply no order (NOT_FOUND, counted as a miss), like a token altered by one symbol.
 */
export const orderTokenSchema = singleLine(1, 128);

export const orderTokenInput = z.object({ orderToken: orderTokenSchema });

export const orderUpdateInput = z.object({
  orderToken: orderTokenSchema,
  attendees: attendeesInput.optional(),
  answers: answersInput.optional(),
});
