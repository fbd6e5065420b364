/** The organizer's side of codes: adding and changing them is a command the actor decides. */
import { DomainError, InputError } from "../errors.ts";
import type { Decision } from "./rules.ts";
import type { CodeConfig, EventReplies, EventState, UpsertCodes } from "./types.ts";

/** The first problem with one code's fields against the event's types, as an input error. */
function codeFieldRefusal(state: EventState, code: CodeConfig): InputError | null {
  const types = new Map(state.config.ticketTypes.map((t) => [t.id, t]));
  for (const [i, id] of (code.ticketTypeIds ?? []).entries()) {
    if (!types.has(id)) return new InputError(["ticketTypeIds", i], "No such ticket type");
  }
  for (const [i, id] of code.unlocksTicketTypeIds.entries()) {
    if (!types.get(id)?.hidden) {
      return new InputError(["unlocksTicketTypeIds", i], "Not a hidden ticket type of this event");
    }
  }
  return null;
}

/**
 * Adds or replaces codes, all or none: a text already taken by another code of the event is
 * CODE_TAKEN. Uses are not touched; lowering `maxUses` below them takes nothing back.
 */
export function upsertCodes(
  state: EventState,
  cmd: UpsertCodes,
  now: number,
): Decision<EventReplies["UpsertCodes"]> {
  const texts = new Map<string, string>();
  for (const code of cmd.codes) {
    const owner = state.codes.get(code.code)?.id ?? texts.get(code.code);
    if (owner !== undefined && owner !== code.id) {
      return {
        events: [],
        reply: new DomainError("CODE_TAKEN", "This code is already in use", { code: code.code }),
      };
    }
    texts.set(code.code, code.id);
    const wrong = codeFieldRefusal(state, code);
    if (wrong) return { events: [], reply: wrong };
  }
  return {
    events: [{ type: "CodesChanged", codes: cmd.codes, at: now }],
    reply: { codes: cmd.codes },
  };
}
