/**
 * Scenarios 2, 2c, 2q, 2r and 2b: one hot event, then the same booking with one capability more
 * (a promo code, checkout questions answered, the on-sale room admitting), each measured on the
 * same server right after a plain run and compared with the mean of the plain runs around it, so
 * that the database growing (and a noisy neighbour) counts against neither side; then paid.
 */
import type { BenchConfig, Row } from "./config.ts";
import { type Client, createEvent, setAsidePendingMail } from "./fixtures.ts";
import type { LoadResult } from "./load.ts";
import { type Child, untilIdle } from "./processes.ts";
import type { Summary } from "./report.ts";
import { roomRounds, roomRoundsRow } from "./room-rounds.ts";
import { bookLoad, measure, rowOf } from "./rush.ts";
import type { LoadSpec } from "./wrk.ts";

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** One per-order text question and one per-ticket choice question, both required. */
const QUESTIONS = [
  { label: "Company", kind: "text" as const, required: true, per: "order" as const },
  {
    label: "T-shirt size",
    kind: "choice" as const,
    options: ["S", "M", "L", "XL"],
    required: true,
    per: "ticket" as const,
  },
];

export interface HotContext {
  readonly cfg: BenchConfig;
  readonly server: Child;
  readonly organizer: Client;
  readonly tokens: readonly string[];
  readonly userIds: readonly string[];
  readonly databasePath: string;
  /** One more timed run of the ceiling (`system.noop`) on the same server. */
  readonly ceiling: (label: string) => Promise<LoadResult>;
}

/**
 * A timed run on a quiet server: the confirmation mails earlier runs left undelivered are set
 * aside first, and the server given time to finish the ones it was rendering and sending, so that
 * no run shares the machine with the delivery of another run's mail. `backlog` is how many were
 * set aside.
 */
async function timed(ctx: HotContext, label: string, spec: LoadSpec) {
  const backlog = await quieted(ctx);
  const load = await measure(ctx.cfg, label, ctx.server, spec);
  return { ...load, backlog };
}

/** Sets the outbox's pending mail aside and waits for the server to go idle; how many. */
async function quieted(ctx: HotContext): Promise<number> {
  const setAside = setAsidePendingMail(ctx.databasePath);
  await untilIdle(ctx.server.pid);
  return setAside;
}

const backlogNote = (load: { backlog: number }) =>
  load.backlog
    ? `${fmt(load.backlog)} undelivered mails of earlier runs set aside at its start`
    : "";

/** The plain hot event (2), then 2c, 2q and 2r beside it, then paid (2b). Returns the event. */
export async function hotEvent(s: Summary, ctx: HotContext, ceilingBefore: LoadResult) {
  const { cfg, server, organizer, tokens } = ctx;
  const hot = await createEvent(organizer, "Hot event", 1_000_000, 0);
  const plain = () => bookLoad(tokens, hot);
  const hotLoad = await timed(ctx, "2 hot event", plain());
  const ceilingAfter = await ceilingAgain(s, ctx, "1b", "after 2");
  s.hotBookRps = hotLoad.okRps;
  s.p50Ms = hotLoad.p50Ms;
  s.p99Ms = hotLoad.p99Ms;
  s.ceilingAround.book = [ceilingBefore.rps, ceilingAfter.rps];
  s.ratioToCeiling = overAround(hotLoad.okRps, s.ceilingAround.book);
  s.rows.push(
    rowOf(
      "2",
      "hot event: book, free",
      hotLoad,
      [ceilingNote(s.ratioToCeiling, s.ceilingAround.book), backlogNote(hotLoad)]
        .filter(Boolean)
        .join("; "),
    ),
  );

  // Every buyer with a code (25 % off a free ticket, unlimited uses).
  const coded = await createEvent(organizer, "Hot event with codes", 1_000_000, 0);
  await organizer.codes.create.mutate({
    eventId: coded.eventId,
    code: "RUSH25",
    kind: "discount",
    discount: { percent: 25 },
  });
  const codeLoad = await timed(
    ctx,
    "2c hot with code",
    bookLoad(tokens, coded, { code: "RUSH25" }),
  );
  const plain2 = await timed(ctx, "2 hot event again", plain());
  s.codeVsPlain = beside(s.rows, "2c", "hot event: book with a code", codeLoad, hotLoad, plain2);

  // Every buyer answers the checkout questions.
  const asking = await createEvent(organizer, "Hot event with questions", 1_000_000, 0, {
    questions: QUESTIONS,
  });
  const [company, size] = asking.questionIds;
  if (!company || !size) throw new Error("The event came back without its questions");
  const answers = [
    { questionId: company, value: "Bench Ltd" },
    { questionId: size, ticketIndex: 0, value: "M" },
  ];
  const askLoad = await timed(ctx, "2q hot with questions", bookLoad(tokens, asking, { answers }));
  const plain3 = await timed(ctx, "2 hot event again", plain());
  s.questionsVsPlain = beside(
    s.rows,
    "2q",
    "hot event: book with questions answered",
    askLoad,
    plain2,
    plain3,
    "1 per-order text + 1 per-ticket choice question, both required",
  );

  // Through the on-sale room while it admits: rounds, not a timed run (room-rounds.ts).
  const rounds = await roomRounds(cfg, server, organizer, ctx, hot, ctx.databasePath);
  s.roomVsPlain = rounds.roomVsPlain;
  s.roomRounds = rounds;
  s.rows.push(roomRoundsRow(rounds, cfg.connections));

  const paid = await createEvent(organizer, "Hot paid event", 1_000_000, 2_500);
  const paidBefore = await ceilingAgain(s, ctx, "1c", "before 2b");
  const paidLoad = await timed(ctx, "2b hot paid", bookLoad(tokens, paid));
  const paidAfter = await ceilingAgain(s, ctx, "1d", "after 2b");
  s.hotBookPaidRps = paidLoad.okRps;
  s.ceilingAround.paid = [paidBefore.rps, paidAfter.rps];
  s.paidToCeiling = overAround(paidLoad.okRps, s.ceilingAround.paid);
  s.rows.push(
    rowOf(
      "2b",
      "hot event: book, paid",
      paidLoad,
      [
        ceilingNote(s.paidToCeiling, s.ceilingAround.paid),
        "mock payment charged",
        backlogNote(paidLoad),
      ]
        .filter(Boolean)
        .join("; "),
    ),
  );
  return { hot, hotLoad };
}

/** `value` over the mean of the two runs around it. */
export const overAround = (value: number, [before, after]: readonly [number, number]): number =>
  (2 * value) / (before + after);

/** "0.42× ceiling (ceiling around it: 9,100 and 8,700 rps)". */
export const ceilingNote = (ratio: number, [before, after]: readonly [number, number]): string =>
  `${fmt(ratio, 2)}× ceiling (ceiling around it: ${fmt(before)} and ${fmt(after)} rps)`;

/** The ceiling measured once more, beside a booking run, as a row of its own. */
async function ceilingAgain(s: Summary, ctx: HotContext, id: string, when: string) {
  const setAside = await quieted(ctx);
  const load = await ctx.ceiling(`${id} ceiling ${when}`);
  const note = ["system.noop, as row 1", backlogNote({ backlog: setAside })].filter(Boolean);
  s.rows.push(rowOf(id, `ceiling again, ${when}`, load, note.join("; ")));
  return load;
}

/** A variant's row and its ratio to the mean of the plain runs before and after it. */
function beside(
  rows: Row[],
  id: string,
  name: string,
  load: LoadResult & { backlog: number },
  plainBefore: LoadResult,
  plainAfter: LoadResult,
  what = "",
): number {
  const ratio = (2 * load.okRps) / (plainBefore.okRps + plainAfter.okRps);
  const around = `plain around it: ${fmt(plainBefore.okRps)} and ${fmt(plainAfter.okRps)} rps`;
  what = [what, backlogNote(load)].filter(Boolean).join("; ");
  rows.push(
    rowOf(id, name, load, [`${fmt(ratio, 2)}× plain (${around})`, what].filter(Boolean).join("; ")),
  );
  return ratio;
}
