import { describe, expect, it } from "bun:test";
import { defaultCancellationPolicy, fullRefund, quoteRefund } from "./refund.ts";
import type { CancellationPolicy } from "./types.ts";

const HOUR = 3_600_000;
const START = 1_800_000_000_000;
const hoursBefore = (h: number) => START - h * HOUR;

const tiered: CancellationPolicy = {
  refundable: true,
  feeCents: 250,
  rules: [
    { hoursBeforeStart: 72, refundPercent: 100 },
    { hoursBeforeStart: 24, refundPercent: 50 },
    { hoursBeforeStart: 2, refundPercent: 10 },
  ],
};

interface Case {
  name: string;
  policy: CancellationPolicy;
  paid: number;
  at: number;
  refund: number;
  fee: number;
  rulePercent: number | null;
}

const cases: Case[] = [
  {
    name: "takes the highest percentage whose deadline has not passed, minus the fee",
    policy: tiered,
    paid: 10_000,
    at: hoursBefore(100),
    refund: 9_750,
    fee: 250,
    rulePercent: 100,
  },
  {
    name: "applies a rule exactly at its deadline",
    policy: tiered,
    paid: 10_000,
    at: hoursBefore(72),
    refund: 9_750,
    fee: 250,
    rulePercent: 100,
  },
  {
    name: "falls to the next tier one millisecond past a deadline",
    policy: tiered,
    paid: 10_000,
    at: hoursBefore(72) + 1,
    refund: 4_750,
    fee: 250,
    rulePercent: 50,
  },
  {
    name: "uses the last tier close to the start",
    policy: tiered,
    paid: 10_000,
    at: hoursBefore(3),
    refund: 750,
    fee: 250,
    rulePercent: 10,
  },
  {
    name: "refunds nothing once every deadline has passed",
    policy: tiered,
    paid: 10_000,
    at: hoursBefore(1),
    refund: 0,
    fee: 0,
    rulePercent: null,
  },
  {
    name: "never goes below zero when the fee exceeds the refund, and charges no more than it",
    policy: tiered,
    paid: 2_000,
    at: hoursBefore(3),
    refund: 0,
    fee: 200,
    rulePercent: 10,
  },
  {
    name: "picks the highest percentage whatever the order of the rules",
    policy: {
      refundable: true,
      feeCents: 0,
      rules: [
        { hoursBeforeStart: 1, refundPercent: 20 },
        { hoursBeforeStart: 48, refundPercent: 80 },
        { hoursBeforeStart: 24, refundPercent: 50 },
      ],
    },
    paid: 1_000,
    at: hoursBefore(50),
    refund: 800,
    fee: 0,
    rulePercent: 80,
  },
  {
    name: "refunds nothing when the booking is not refundable",
    policy: { ...tiered, refundable: false },
    paid: 10_000,
    at: hoursBefore(1_000),
    refund: 0,
    fee: 0,
    rulePercent: null,
  },
  {
    name: "refunds nothing for a free booking",
    policy: tiered,
    paid: 0,
    at: hoursBefore(1_000),
    refund: 0,
    fee: 0,
    rulePercent: null,
  },
  {
    name: "refunds in full until the start under the default policy",
    policy: defaultCancellationPolicy,
    paid: 4_200,
    at: START,
    refund: 4_200,
    fee: 0,
    rulePercent: 100,
  },
  {
    name: "refunds nothing after the start under the default (zero-hour) policy",
    policy: defaultCancellationPolicy,
    paid: 4_200,
    at: START + 1,
    refund: 0,
    fee: 0,
    rulePercent: null,
  },
  {
    name: "still refunds after the start when a rule has negative hours",
    policy: {
      refundable: true,
      feeCents: 100,
      rules: [{ hoursBeforeStart: -2, refundPercent: 50 }],
    },
    paid: 1_000,
    at: START + 1 * HOUR,
    refund: 400,
    fee: 100,
    rulePercent: 50,
  },
  {
    name: "refunds nothing once a negative-hour rule has lapsed too",
    policy: {
      refundable: true,
      feeCents: 100,
      rules: [{ hoursBeforeStart: -2, refundPercent: 50 }],
    },
    paid: 1_000,
    at: START + 3 * HOUR,
    refund: 0,
    fee: 0,
    rulePercent: null,
  },
  {
    name: "rounds a fractional refund down to whole cents",
    policy: { refundable: true, feeCents: 0, rules: [{ hoursBeforeStart: 0, refundPercent: 33 }] },
    paid: 1_001,
    at: hoursBefore(5),
    refund: 330,
    fee: 0,
    rulePercent: 33,
  },
  {
    name: "never refunds more than was paid, even with a percentage above 100",
    policy: { refundable: true, feeCents: 0, rules: [{ hoursBeforeStart: 0, refundPercent: 150 }] },
    paid: 1_000,
    at: hoursBefore(5),
    refund: 1_000,
    fee: 0,
    rulePercent: 150,
  },
  {
    name: "never reports a negative fee or refunds beyond what was paid with a negative fee",
    policy: {
      refundable: true,
      feeCents: -500,
      rules: [{ hoursBeforeStart: 0, refundPercent: 100 }],
    },
    paid: 1_000,
    at: hoursBefore(5),
    refund: 1_000,
    fee: 0,
    rulePercent: 100,
  },
];

describe("quoteRefund", () => {
  for (const c of cases) {
    it(c.name, () => {
      const quote = quoteRefund(c.policy, c.paid, START, c.at);
      expect(quote.refundCents).toBe(c.refund);
      expect(quote.feeCents).toBe(c.fee);
      expect(quote.rule?.refundPercent ?? null).toBe(c.rulePercent);
      expect(quote.refundCents).toBeGreaterThanOrEqual(0);
      expect(quote.refundCents).toBeLessThanOrEqual(Math.max(0, c.paid));
    });
  }
});

describe("fullRefund", () => {
  it("gives back everything that was paid, with no fee", () => {
    expect(fullRefund(4_321)).toEqual({ refundCents: 4_321, feeCents: 0, rule: null });
  });

  it("never gives back a negative amount", () => {
    expect(fullRefund(-5).refundCents).toBe(0);
  });
});
