/**
 * Organizer notices (docs/API.md "mail"): `sold_out`, `waitlist_growing` and `sale_digest`,
 * decided by looking at the events every minute and, for sold out and the waitlist, soon after a
 * commit that could change them (nudged, debounced). Each notice is decided once: its key in
 * `organizer_notices` and its mail are one transaction, and the insert-or-ignore of the key says
 * whether this run is the one that writes it. A notice turned off in the organizer's settings
 * when it happens is decided all the same (no mail), and is not sent if they turn it back on.
 * (`refund_failed` is decided where the refund fails: `recordRefundFailed`.)
 */
import type { Clock } from "@boxoffice/core";
import {
  type Db,
  type EventRow,
  eventsForDigest,
  eventsOnSale,
  eventsOnSaleById,
  type MailSettings,
  mailSettingsOf,
  noticeKeysOf,
  salesBetween,
  ticketTypesOfEvents,
  writeNotice,
} from "@boxoffice/db";
import type { Engine } from "@boxoffice/engine";
import type { Logger } from "../logger.ts";
import { dayStart, localDay, nextDay, previousDay } from "./days.ts";

export interface NoticeTimings {
  /** How often every event is looked at (digests come due with no commit to nudge). */
  readonly intervalMs?: number;
  /** How long a commit's nudge waits, gathering the nudges of a rush into one look. */
  readonly debounceMs?: number;
  /**
   * When the first look at every event comes after start (what happened while the server was
   * down): not at once, so that it never delays the first requests of a restart.
   */
  readonly startDelayMs?: number;
}

export interface NoticesOptions extends NoticeTimings {
  readonly db: Db;
  readonly engine: Pick<Engine, "availabilities">;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** Called after a run that wrote mail (to nudge the dispatcher). */
  readonly onMail?: () => void;
}

/** Waiting people at which the organizer hears of the queue: these, then every further 1,000. */
export const WAITLIST_THRESHOLDS = [10, 25, 50, 100, 250, 500, 1000] as const;

/** The thresholds `waiting` has reached, lowest first. */
export function thresholdsReached(waiting: number): number[] {
  const reached: number[] = WAITLIST_THRESHOLDS.filter((t) => t <= waiting);
  for (let t = 2000; t <= waiting; t += 1000) reached.push(t);
  return reached;
}

/** A day is looked at once it ended this long ago: commits stamped before midnight are in. */
const DIGEST_GRACE_MS = 60_000;
/** Digests are caught up this far back (a server that was down for a day sends it late). */
const DIGEST_DAYS_BACK = 2;
const DAY_MS = 86_400_000;

export class OrganizerNotices {
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private readonly startDelayMs: number;
  private interval: ReturnType<typeof setInterval> | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private readonly nudged = new Set<string>();
  /** Event days already found without sales: looked at once per process. */
  private readonly quietDays = new Set<string>();
  private stopped = false;

  constructor(private readonly options: NoticesOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.debounceMs = options.debounceMs ?? 1_000;
    this.startDelayMs = options.startDelayMs ?? 10_000;
  }

  start(): void {
    if (this.interval || this.stopped) return;
    // The runtime's first date format loads its time zone data: 25 ms here. Paid now, at start,
    // not ten seconds later in the middle of whatever rush is then under way.
    localDay(this.options.clock.now(), "UTC");
    this.interval = setInterval(() => this.safely(() => this.runAll()), this.intervalMs);
    this.interval.unref?.();
    // Soon after start: whatever happened while the server was down.
    setTimeout(() => this.safely(() => this.runAll()), this.startDelayMs).unref?.();
  }

  /** A commit changed this event's sales or queue: look at it soon. */
  nudge(eventId: string): void {
    if (this.stopped) return;
    this.nudged.add(eventId);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      const ids = [...this.nudged];
      this.nudged.clear();
      this.safely(() => this.runEvents(ids));
    }, this.debounceMs);
    this.debounce.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    if (this.debounce) clearTimeout(this.debounce);
    this.interval = null;
    this.debounce = null;
  }

  /** Every event: sold out, waitlist and digests. Returns the notices decided. */
  runAll(): number {
    const now = this.options.clock.now();
    return this.onSale(eventsOnSale(this.options.db, now), now) + this.digests(now);
  }

  /** Sold out and waitlist of these events only. Returns the notices decided. */
  runEvents(eventIds: readonly string[]): number {
    const now = this.options.clock.now();
    return this.onSale(eventsOnSaleById(this.options.db, eventIds, now), now);
  }

  private safely(run: () => number): void {
    if (this.stopped) return;
    try {
      if (run() > 0) this.options.onMail?.();
    } catch (error) {
      // The database said no (busy, closed): the next look tries again.
      this.options.logger.error("organizer notices failed", { error });
    }
  }

  /** Figures as analytics has them: from the awake actor, else from SQLite. */
  private figures(rows: readonly EventRow[]) {
    const types = ticketTypesOfEvents(
      this.options.db,
      rows.map((r) => r.id),
    );
    return this.options.engine.availabilities(
      rows.map((row) => ({ row, types: types.get(row.id) ?? [] })),
    );
  }

  private settingsOf(): (organizerId: string) => MailSettings {
    const cache = new Map<string, MailSettings>();
    return (id) => {
      const settings = cache.get(id) ?? mailSettingsOf(this.options.db, id);
      cache.set(id, settings);
      return settings;
    };
  }

  private onSale(rows: readonly EventRow[], now: number): number {
    if (rows.length === 0) return 0;
    const { db } = this.options;
    const ids = rows.map((r) => r.id);
    const soldOut = noticeKeysOf(db, ids, "sold_out", [""]);
    const figures = this.figures(rows);
    const settings = this.settingsOf();
    let decided = 0;
    for (const row of rows) {
      const a = figures.get(row.id);
      if (!a) continue;
      const mailTo = (wanted: boolean) => (wanted ? row.organizerId : null);
      if (!soldOut.has(`${row.id} `) && a.capacity > 0 && a.sold >= a.capacity) {
        const written = writeNotice(db, {
          eventId: row.id,
          kind: "sold_out",
          key: "",
          at: now,
          mailTo: mailTo(settings(row.organizerId).soldOut),
          payload: { eventId: row.id, ticketsSold: a.sold, at: now },
        });
        if (written) decided += 1;
      }
      decided += this.waitlist(
        row,
        a.waitlistLength,
        now,
        mailTo(settings(row.organizerId).waitlistGrowing),
      );
    }
    return decided;
  }

  /**
   * The highest threshold the queue has reached, if not told yet; the lower ones it passed on
   * the way are decided without mail, so a queue that shrinks and grows again is not told of
   * a smaller number later.
   */
  private waitlist(row: EventRow, waiting: number, now: number, mailTo: string | null): number {
    const reached = thresholdsReached(waiting);
    const top = reached.at(-1);
    if (top === undefined) return 0;
    const { db } = this.options;
    const told = noticeKeysOf(db, [row.id], "waitlist_growing", [String(top)]);
    if (told.size > 0) return 0;
    const notice = (threshold: number, to: string | null) =>
      writeNotice(db, {
        eventId: row.id,
        kind: "waitlist_growing",
        key: String(threshold),
        at: now,
        mailTo: to,
        payload: { eventId: row.id, waiting, threshold },
      });
    for (const lower of reached.slice(0, -1)) notice(lower, null);
    return notice(top, mailTo) ? 1 : 0;
  }

  /** One digest per event and past day of its zone with sales or cancellations. */
  private digests(now: number): number {
    const { db } = this.options;
    const rows = eventsForDigest(db, now - (DIGEST_DAYS_BACK + 2) * DAY_MS, now);
    const due: { row: EventRow; day: string }[] = [];
    // Today in each zone, once per zone rather than once per event (an Intl call each).
    const todays = new Map<string, string>();
    for (const row of rows) {
      let day = todays.get(row.timezone);
      if (day === undefined) {
        day = localDay(now - DIGEST_GRACE_MS, row.timezone);
        todays.set(row.timezone, day);
      }
      for (let back = 0; back < DIGEST_DAYS_BACK; back += 1) {
        day = previousDay(day);
        if (!this.quietDays.has(`${row.id} ${day}`)) due.push({ row, day });
      }
    }
    if (due.length === 0) return 0;
    const days = [...new Set(due.map((d) => d.day))];
    const decidedKeys = noticeKeysOf(
      db,
      [...new Set(due.map((d) => d.row.id))],
      "sale_digest",
      days,
    );
    const todo = due.filter(({ row, day }) => !decidedKeys.has(`${row.id} ${day}`));
    const withSales = todo.flatMap(({ row, day }) => {
      const from = dayStart(day, row.timezone);
      const sales = salesBetween(db, row.id, from, dayStart(nextDay(day), row.timezone));
      if (sales.ticketsSold === 0 && sales.ticketsCancelled === 0) {
        this.rememberQuiet(`${row.id} ${day}`);
        return [];
      }
      return [{ row, day, sales }];
    });
    if (withSales.length === 0) return 0;
    const figures = this.figures([...new Map(withSales.map((d) => [d.row.id, d.row])).values()]);
    const settings = this.settingsOf();
    let decided = 0;
    for (const { row, day, sales } of withSales) {
      const a = figures.get(row.id);
      const written = writeNotice(db, {
        eventId: row.id,
        kind: "sale_digest",
        key: day,
        at: now,
        mailTo: settings(row.organizerId).saleDigest === "daily" ? row.organizerId : null,
        payload: {
          eventId: row.id,
          day,
          ...sales,
          totalSold: a?.sold ?? 0,
          capacity: a?.capacity ?? null,
        },
      });
      if (written) decided += 1;
    }
    return decided;
  }

  private rememberQuiet(key: string): void {
    // Bounded: forgetting only means looking at a quiet day once more.
    if (this.quietDays.size > 100_000) this.quietDays.clear();
    this.quietDays.add(key);
  }
}
