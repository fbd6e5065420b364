import type { CancellationPolicy, RefundRule } from "./types.ts";

export interface RefundQuote {
  readonly refundCents: number;
  readonly feeCents: number;
  /** The rule that applied, or null when none did (or the booking is not refundable). */
  readonly rule: RefundRule | null;
}

const HOUR_MS = 3_600_000;

/** Full refund until the event starts: what attendees expect when an organizer sets nothing. */
export const defaultCancellationPolicy: CancellationPolicy = {
  refundable: true,
  feeCents: 0,
  rules: [{ hoursBeforeStart: 0, refundPercent: 100 }],
};

/**
 * What an attendee gets back for cancelling at `now`: the highest percentage among the rules
 * whose deadline has not passed, minus the fee, never below zero nor above what was paid.
 */
export function quoteRefund(
  policy: CancellationPolicy,
  paidCents: number,
  startsAt: number,
  now: number,
): RefundQuote {
  if (!policy.refundable || paidCents <= 0) return { refundCents: 0, feeCents: 0, rule: null };
  const hoursBefore = (startsAt - now) / HOUR_MS;
  let best: RefundRule | null = null;
  for (const rule of policy.rules) {
    if (hoursBefore < rule.hoursBeforeStart) continue;
    if (!best || rule.refundPercent > best.refundPercent) best = rule;
  }
  if (!best) return { refundCents: 0, feeCents: 0, rule: null };
  // Clamped first, so that a misconfigured percentage or fee can neither refund more than was
  // paid nor report a negative fee.
  const gross = Math.max(
    0,
    Math.min(paidCents, Math.floor((paidCents * best.refundPercent) / 100)),
  );
  const feeCents = Math.max(0, Math.min(policy.feeCents, gross));
  const refundCents = gross - feeCents;
  return { refundCents, feeCents, rule: best };
}

/** Organizer and event cancellations: everything that was paid goes back. */
export function fullRefund(paidCents: number): RefundQuote {
  return { refundCents: Math.max(0, paidCents), feeCents: 0, rule: null };
}
