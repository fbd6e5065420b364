/**
 * Promo and access codes (docs/API.md "codes"), organizer only. Changes go through the event's
 * actor (engine.codes), which decides uses; reads come from SQLite and never load an actor.
 */
import { type CodeConfig, InputError, newId, promoCode } from "@boxoffice/core";
import { codesByIds, findCode, listCodes } from "@boxoffice/db";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { codeDto } from "../dto/code.ts";
import {
  createCodeInput,
  disableCodeInput,
  generateCodesInput,
  listCodesInput,
  type UpdateCodeInput,
  updateCodeInput,
} from "../schemas/codes.ts";
import { createTRPCRouter, eventOrganizerProcedure } from "../trpc.ts";

const ms = (iso: string | null | undefined): number | null =>
  iso === undefined || iso === null ? null : Date.parse(iso);

type RuleInput = Omit<UpdateCodeInput, "eventId" | "codeId">;

/** A new code's rules from the input: what is omitted is unset. */
function rulesOf(input: RuleInput) {
  return {
    discount: input.discount ?? null,
    ticketTypeIds: input.ticketTypeIds ?? null,
    maxUses: input.maxUses ?? null,
    maxUsesPerBuyer: input.maxUsesPerBuyer ?? null,
    validFrom: ms(input.validFrom),
    validUntil: ms(input.validUntil),
    unlocksTicketTypeIds: input.unlocksTicketTypeIds ?? [],
    opensSalesAt: ms(input.opensSalesAt),
  };
}

/** The saved code with the update laid over it: omitted fields stay, null clears. */
function merged(current: CodeConfig, input: RuleInput): CodeConfig {
  const keep = <T>(value: T | undefined, saved: T): T => (value === undefined ? saved : value);
  const instant = (value: string | null | undefined, saved: number | null) =>
    value === undefined ? saved : ms(value);
  return {
    ...current,
    discount: keep(input.discount, current.discount),
    ticketTypeIds: keep(input.ticketTypeIds, current.ticketTypeIds),
    maxUses: keep(input.maxUses, current.maxUses),
    maxUsesPerBuyer: keep(input.maxUsesPerBuyer, current.maxUsesPerBuyer),
    validFrom: instant(input.validFrom, current.validFrom),
    validUntil: instant(input.validUntil, current.validUntil),
    unlocksTicketTypeIds: keep(input.unlocksTicketTypeIds, current.unlocksTicketTypeIds),
    opensSalesAt: instant(input.opensSalesAt, current.opensSalesAt),
  };
}

/** The rules that span fields, on the code as it would be saved (the kind never changes). */
function mergedIssues(code: CodeConfig): void {
  if (code.kind === "discount" && code.discount === null) {
    throw new InputError(["discount"], "A discount code needs a discount");
  }
  if (code.kind === "access" && code.discount !== null) {
    throw new InputError(["discount"], "An access code has no discount");
  }
  if (code.kind === "access" && code.unlocksTicketTypeIds.length === 0 && !code.opensSalesAt) {
    throw new InputError(
      ["kind"],
      "An access code must unlock a hidden ticket type or open sales early",
    );
  }
  if (code.validFrom !== null && code.validUntil !== null && code.validUntil <= code.validFrom) {
    throw new InputError(["validUntil"], "Must be after validFrom");
  }
}

export const codesRouter = createTRPCRouter({
  create: eventOrganizerProcedure.input(createCodeInput).mutation(async ({ ctx, input }) => {
    const code: CodeConfig = {
      id: newId("code"),
      code: input.code ?? promoCode(),
      kind: input.kind,
      ...rulesOf(input),
      disabled: false,
      createdAt: ctx.clock.now(),
    };
    await ctx.engine.codes.upsertCodes(ctx.event.id, [code]);
    const [saved] = codesByIds(ctx.db, ctx.event.id, [code.id]);
    if (!saved) throw new Error(`Code ${code.id} was acknowledged but is not stored`);
    return codeDto(saved);
  }),

  /** `count` single-use codes (maxUses 1 unless given) in one actor command. */
  generate: eventOrganizerProcedure.input(generateCodesInput).mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    const texts = new Set<string>();
    while (texts.size < input.count) texts.add(promoCode(input.prefix ?? ""));
    const rules = rulesOf(input);
    const codes: CodeConfig[] = [...texts].map((text) => ({
      id: newId("code"),
      code: text,
      kind: input.kind,
      ...rules,
      maxUses: input.maxUses ?? 1,
      disabled: false,
      createdAt: now,
    }));
    await ctx.engine.codes.upsertCodes(ctx.event.id, codes);
    return {
      codes: codesByIds(
        ctx.db,
        ctx.event.id,
        codes.map((c) => c.id),
      ).map(codeDto),
    };
  }),

  list: eventOrganizerProcedure.input(listCodesInput).query(({ ctx, input }) => {
    const after = decodeCursor(input.cursor, { c: "number", s: "number" });
    const rows = listCodes(ctx.db, {
      eventId: ctx.event.id,
      search: input.search,
      after: after ? { createdAt: after.c as number, seq: after.s as number } : null,
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor({ c: last.createdAt, s: last.seq }) : null;
    return { items: page.map(codeDto), nextCursor };
  }),

  update: eventOrganizerProcedure.input(updateCodeInput).mutation(async ({ ctx, input }) => {
    const current = ctx.engine.codes.codeById(ctx.event.id, input.codeId);
    if (!current) throw new InputError(["codeId"], "No such code for this event");
    const { eventId: _e, codeId: _c, ...changes } = input;
    const next = merged(current, changes);
    mergedIssues(next);
    await ctx.engine.codes.upsertCodes(ctx.event.id, [next]);
    return codeDto(findOrFail(ctx.db, ctx.event.id, next.id));
  }),

  disable: eventOrganizerProcedure.input(disableCodeInput).mutation(async ({ ctx, input }) => {
    const current = ctx.engine.codes.codeById(ctx.event.id, input.codeId);
    if (!current) throw new InputError(["codeId"], "No such code for this event");
    await ctx.engine.codes.upsertCodes(ctx.event.id, [{ ...current, disabled: input.disabled }]);
    return codeDto(findOrFail(ctx.db, ctx.event.id, current.id));
  }),
});

function findOrFail(db: Parameters<typeof findCode>[0], eventId: string, codeId: string) {
  const row = findCode(db, eventId, codeId);
  if (!row) throw new Error(`Code ${codeId} was acknowledged but is not stored`);
  return row;
}
