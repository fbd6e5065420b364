/**
 * The admission rules shared by holds, direct bookings and the waitlist: sales window, pricing,
 * limits and capacity. Pure functions of the state.
 */
import { type ConflictError, DomainError, InputError } from "../errors.ts";
import { checkoutOf, isGuestPrincipal, personOf } from "./checkout.ts";
import { applyDiscount, notApplicable, presaleOpen, typeVisible, usableCode } from "./codes.ts";
import { claimSeats, type Seating, seatSlots } from "./seats.ts";
import { quantityOf } from "./state.ts";
import type {
  CodeConfig,
  EventConfig,
  EventEvent,
  EventState,
  ItemRequest,
  LineItem,
  NewTicket,
} from "./types.ts";

export type Refusal = DomainError | InputError | ConflictError;

export interface Decision<R> {
  readonly events: readonly EventEvent[];
  readonly reply: R | Refusal;
}

export const refuse = <R>(reply: Refusal, events: readonly EventEvent[] = []): Decision<R> => ({
  events,
  reply,
});

/** Status and sales window: may this event sell right now? */
export function salesRefusal(config: EventConfig, now: number): DomainError | null {
  if (config.status === "cancelled")
    return new DomainError("EVENT_CANCELLED", "The event is cancelled");
  if (config.status === "draft") {
    return new DomainError("EVENT_NOT_PUBLISHED", "The event is not published yet");
  }
  if (config.salesStartAt !== null && now < config.salesStartAt) {
    return new DomainError("SALES_NOT_OPEN", "Sales have not opened yet", {
      salesStartAt: new Date(config.salesStartAt).toISOString(),
    });
  }
  if (now >= salesEndOf(config)) return new DomainError("SALES_CLOSED", "Sales have closed");
  return null;
}

/** When sales close: their set end, else the event's end, else its start. */
export const salesEndOf = (config: EventConfig): number =>
  config.salesEndAt ?? config.endsAt ?? config.startsAt;

/** Turns requested items into priced line items, or names the field that does not fit. */
export function priceItems(
  config: EventConfig,
  items: readonly ItemRequest[],
  code: CodeConfig | null = null,
): LineItem[] | InputError {
  if (items.length === 0) return new InputError(["items"], "Choose at least one ticket");
  const seen = new Set<string>();
  const lines: LineItem[] = [];
  for (const [i, item] of items.entries()) {
    const type = config.ticketTypes.find((t) => t.id === item.ticketTypeId);
    // A hidden type is, to a buyer without the code that unlocks it, no type at all.
    if (!type || !typeVisible(type, code))
      return new InputError(["items", i, "ticketTypeId"], "No such ticket type for this event");
    if (seen.has(type.id)) {
      return new InputError(["items", i, "ticketTypeId"], "Each ticket type may appear only once");
    }
    seen.add(type.id);
    // The API's schema says so too, but a zero, negative or fractional quantity reaching evolve()
    // would corrupt the counts (a negative hold frees tickets that were never held).
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      return new InputError(["items", i, "quantity"], "Quantity must be a whole number above 0");
    }
    lines.push({ ticketTypeId: type.id, quantity: item.quantity, unitPriceCents: type.priceCents });
  }
  return lines;
}

/** Per-order and per-person limits (`person`: see `personOf`), then capacities. */
export function inventoryRefusal(
  state: EventState,
  person: string,
  lines: readonly LineItem[],
): DomainError | null {
  const { config } = state;
  const quantity = quantityOf(lines);
  if (quantity > config.maxPerOrder) {
    return new DomainError("LIMIT_EXCEEDED", `At most ${config.maxPerOrder} tickets per order`, {
      limit: "maxPerOrder",
      max: config.maxPerOrder,
    });
  }
  const mine = state.perUser.get(person) ?? 0;
  if (config.maxPerUser !== null && mine + quantity > config.maxPerUser) {
    return new DomainError("LIMIT_EXCEEDED", `At most ${config.maxPerUser} tickets per person`, {
      limit: "maxPerUser",
      max: config.maxPerUser,
      already: mine,
    });
  }
  for (const line of lines) {
    const type = config.ticketTypes.find((t) => t.id === line.ticketTypeId);
    const count = state.counts[line.ticketTypeId] ?? { sold: 0, held: 0 };
    const left = (type?.capacity ?? 0) - count.sold - count.held;
    if (line.quantity > left) {
      return new DomainError("SOLD_OUT", "Not enough tickets left", {
        ticketTypeId: line.ticketTypeId,
        available: Math.max(0, left),
      });
    }
  }
  if (config.capacity !== null && quantity > config.capacity - state.sold - state.held) {
    return new DomainError("SOLD_OUT", "Not enough tickets left", {
      available: Math.max(0, config.capacity - state.sold - state.held),
    });
  }
  return null;
}

export interface Admitted {
  readonly lines: LineItem[];
  /** The code the order uses (and counts a use of), or null. */
  readonly code: CodeConfig | null;
}

/**
 * The sales window, with a presale code's earlier opening: such a code lets a request through
 * SALES_NOT_OPEN (never SALES_CLOSED); whether it was needed decides its applicability.
 */
function windowRefusal(config: EventConfig, code: CodeConfig | null, now: number) {
  const closed = salesRefusal(config, now);
  const presale = closed?.reason === "SALES_NOT_OPEN" && presaleOpen(code, now);
  return { closed: presale ? null : closed, presale };
}

/** Everything a new hold or direct booking must pass; the priced lines when it does. */
/** SIGN_IN_REQUIRED for a guest of an event that sells to accounts only (buying, or queueing). */
export function guestRefusal(config: EventConfig, userId: string): DomainError | null {
  if (!isGuestPrincipal(userId) || checkoutOf(config).guestCheckout) return null;
  return new DomainError("SIGN_IN_REQUIRED", "Sign in to buy tickets for this event");
}

export function admit(
  state: EventState,
  owner: { readonly userId: string; readonly personKey?: string; readonly code?: string },
  items: readonly ItemRequest[],
  seatIds: readonly string[],
  now: number,
): Admitted | Refusal {
  const person = personOf(owner);
  const code = owner.code === undefined ? null : usableCode(state, owner.code, person, now);
  if (code instanceof DomainError) return code;
  const { closed, presale } = windowRefusal(state.config, code, now);
  if (closed) return closed;
  const guest = guestRefusal(state.config, owner.userId);
  if (guest) return guest;
  const lines = requestedLines(state, items, seatIds, code);
  if (!Array.isArray(lines)) return lines;
  const useless = code && notApplicable(code, lines, presale);
  if (useless) return useless;
  const refusal = inventoryRefusal(state, person, lines);
  return refusal ?? { lines: applyDiscount(code, lines), code };
}

/** Seats on a seated event (limits and capacity then count seats like tickets), else types. */
function requestedLines(
  state: EventState,
  items: readonly ItemRequest[],
  seatIds: readonly string[],
  code: CodeConfig | null,
): LineItem[] | Refusal {
  if (state.seating !== null) {
    if (items.length > 0) return new InputError(["items"], "This event is seated: choose seats");
    const seatLines = claimSeats(state, seatIds);
    if (!Array.isArray(seatLines)) return seatLines;
    const hidden = seatLines.some((l) => {
      const type = state.config.ticketTypes.find((t) => t.id === l.ticketTypeId);
      return type !== undefined && !typeVisible(type, code);
    });
    return hidden ? new InputError(["seatIds"], "No such seat for this event") : seatLines;
  }
  if (seatIds.length > 0) {
    return new InputError(["seatIds"], "This event has no seat map; choose ticket types instead");
  }
  return priceItems(state.config, items, code);
}

export const totalOf = (lines: readonly LineItem[]): number =>
  lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);

/** Tickets sold by type, in issuing order: the items in order, each `quantity` times. */
export function lineSlots(lines: readonly LineItem[]): { ticketTypeId: string; seatId: null }[] {
  return lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => ({
      ticketTypeId: line.ticketTypeId,
      seatId: null,
    })),
  );
}

/**
 * A booking's tickets in the order they are issued (and named, and asked questions about): the
 * seats in seat order on a seated event, else the items in order, each `quantity` times. The one
 * order for codes, attendees and per-ticket answers.
 */
export function ticketSlots(
  seating: Seating | null,
  lines: readonly LineItem[],
  seatIds: readonly string[],
): { ticketTypeId: string; seatId: string | null }[] {
  return seating && seatIds.length > 0 ? seatSlots(seating, seatIds) : lineSlots(lines);
}

/** The tickets of `slots`, each with the next drawn code. */
export function ticketsOf(
  bookingId: string,
  slots: readonly { ticketTypeId: string; seatId: string | null }[],
  codes: readonly string[],
): NewTicket[] {
  return slots.map((slot, i) => {
    const code = codes[i];
    if (code === undefined) throw new Error("Not enough ticket codes were drawn for this booking");
    return { id: `${bookingId}-${i + 1}`, code, ...slot };
  });
}

export function issueTickets(
  bookingId: string,
  lines: readonly LineItem[],
  codes: readonly string[],
): NewTicket[] {
  return ticketsOf(bookingId, lineSlots(lines), codes);
}
