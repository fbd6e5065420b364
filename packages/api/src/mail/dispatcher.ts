/**
 * Delivers the outbox. The event actor's commit wrote each row in the same transaction as the
 * change it tells about; this sends the rows that are due, marks them sent, and reschedules
 * failures with exponential backoff until it gives up (`failed_at`).
 *
 * Exactly once from this process: one pump runs at a time and a row is in flight at most once
 * (an in-memory set); its outcome is written before the pump looks for due rows again. A crash
 * between the server's "250 OK" and that write leaves the row pending, so after a restart it is
 * sent again: delivery is at-least-once across crashes, and never zero times.
 *
 * Broadcasts (an organizer's message to every attendee) go at most `broadcastsPerMinute`, one at
 * a time, each outcome recorded right after its send: a crash sends again at most the one that
 * was in flight, with the same Message-ID. Transactional mail is never held back by them: every
 * round sends what else is due first, and a commit's nudge cuts a run of broadcasts short.
 *
 * In an on-sale rush (commits arriving within `rushQuietMs` of each other) mail waits, up to
 * `rushMaxDelayMs`, so that rendering it never takes the booking path's thread.
 */
import type { Clock } from "@boxoffice/core";
import type { AccountDueMail, DueMail, DueRowOf, MailOutcome, OutboxStore } from "@boxoffice/db";
import { type MailAttachment, MailRenderer, type RenderedMail } from "@boxoffice/mail";
import type { Logger } from "../logger.ts";
import type { NoticeTimings } from "./notices.ts";
import type { MailTransport } from "./transports.ts";

export interface DispatcherTimings {
  /** How often due rows are looked for (retries come due without a commit to nudge). */
  readonly pollMs?: number;
  /** The first retry waits this long; each further one twice as long as the previous. */
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Attempts before a row is given up (marked failed). */
  readonly maxAttempts?: number;
  /**
   * Rows sent together; their outcomes are written in one transaction. Picking a batch loads
   * each row's booking, tickets and event on the server's thread in one go (about 0.2 ms a row
   * here), so a batch is what a request may wait behind: 50 by default.
   */
  readonly batchSize?: number;
  /**
   * Rows picked at once during a rush (default 4): at a tenth of the thread, a render every few
   * hundred milliseconds, a poll's worth. Picking 200 in a rush stalled requests for 40 ms for
   * mail that would then wait a minute to be rendered.
   */
  readonly rushBatchSize?: number;
  /**
   * How long a nudge waits before looking. Under an on-sale rush every commit nudges; waiting a
   * little gathers their mails into one batch, whose outcomes cost one transaction (one fsync).
   */
  readonly nudgeDelayMs?: number;
  /**
   * Mail gives way to a rush: while commits keep coming (less than `rushQuietMs` apart, the
   * last less than that ago), nothing is rendered but mail that has waited `rushMaxDelayMs`
   * (a minute), and that at most a tenth of the thread's time. A confirmation is durable in the outbox at its commit and the
   * buyer sees the order at once; rendering it (QR codes, PDF: tens of milliseconds) can wait
   * for the on-sale to calm down.
   */
  readonly rushQuietMs?: number;
  readonly rushMaxDelayMs?: number;
  /** Broadcast mails per minute at most (BROADCAST_MAILS_PER_MINUTE). */
  readonly broadcastsPerMinute?: number;
  /** The organizer notices job's timings (it runs beside the dispatcher); tests shorten them. */
  readonly notices?: NoticeTimings;
}

export interface DispatcherOptions extends DispatcherTimings {
  readonly store: OutboxStore;
  readonly transport: MailTransport;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** The app's origin for links in mails (order pages), asked at send time. */
  readonly origin?: () => string;
  /** Wallet passes for a booking mail (RenderOptions.passesFor); none without. */
  readonly passesFor?: (mail: DueMail) => Promise<readonly MailAttachment[]>;
}

/**
 * A token bucket: `perMinute` tokens a minute, at most a second's worth (and at least one)
 * saved up, so broadcasts go out evenly rather than in bursts of a minute's worth.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(perMinute: number, now: number) {
    this.capacity = Math.max(1, Math.ceil(perMinute / 60));
    this.perMs = perMinute / 60_000;
    this.tokens = this.capacity;
    this.at = now;
  }

  /** Whole tokens there are at `now`. */
  available(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, now - this.at) * this.perMs);
    this.at = Math.max(this.at, now);
    return Math.floor(this.tokens);
  }

  /** Takes one token; false (taking nothing) when there is none. */
  take(now: number): boolean {
    if (this.available(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface DispatchStats {
  sent: number;
  failedAttempts: number;
  gaveUp: number;
}

/** Delay before the retry that follows the `attempts`-th failed attempt. */
export function backoffDelay(attempts: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);

export class MailDispatcher {
  readonly stats: DispatchStats = { sent: 0, failedAttempts: 0, gaveUp: 0 };
  private readonly inFlight = new Set<number>();
  private pump: Promise<void> | null = null;
  private again = false;
  private interval: ReturnType<typeof setInterval> | null = null;
  private nudged = false;
  /** A commit wrote mail since the last transactional batch: broadcasts give way. */
  private urgent = false;
  private stopping = false;
  private closed = false;
  private readonly broadcasts: TokenBucket;
  private rendering: Promise<unknown> = Promise.resolve();
  /** Mail is rendered on a thread of its own (MailRenderer). */
  private readonly renderer = new MailRenderer();
  /** When a commit last nudged, and how long the last render took (the rush's pacing). */
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private previousCommitAt = Number.NEGATIVE_INFINITY;
  private lastRenderMs = 0;
  private readonly rushQuietMs: number;
  private readonly rushMaxDelayMs: number;
  private readonly pollMs: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly rushBatchSize: number;
  private readonly nudgeDelayMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.pollMs = options.pollMs ?? 500;
    this.baseMs = options.backoffBaseMs ?? 5_000;
    this.capMs = options.backoffCapMs ?? 3_600_000;
    this.maxAttempts = options.maxAttempts ?? 15;
    this.batchSize = options.batchSize ?? 50;
    this.rushBatchSize = Math.min(this.batchSize, options.rushBatchSize ?? 4);
    this.nudgeDelayMs = options.nudgeDelayMs ?? 100;
    this.rushQuietMs = options.rushQuietMs ?? 300;
    this.rushMaxDelayMs = options.rushMaxDelayMs ?? 60_000;
    this.broadcasts = new TokenBucket(options.broadcastsPerMinute ?? 600, options.clock.now());
  }

  /** Polls every `pollMs` from now on. */
  start(): void {
    if (this.interval || this.closed) return;
    this.interval = setInterval(() => void this.tick(), this.pollMs);
    this.interval.unref?.();
    this.nudge();
  }

  /** Something was committed: look soon, without waiting for the next poll. Coalesced. */
  nudge(): void {
    this.urgent = true;
    this.previousCommitAt = this.lastCommitAt;
    this.lastCommitAt = this.options.clock.now();
    if (this.nudged || this.closed) return;
    this.nudged = true;
    setTimeout(() => {
      this.nudged = false;
      void this.tick();
    }, this.nudgeDelayMs);
  }

  /**
   * Commits are coming thick and fast (the last two within `rushQuietMs` of each other, the
   * last within it of now): mail waits. One booking alone is no rush; nor is stopping.
   */
  private inRush(now: number): boolean {
    return (
      !this.stopping &&
      now - this.lastCommitAt < this.rushQuietMs &&
      this.lastCommitAt - this.previousCommitAt < this.rushQuietMs
    );
  }

  /** Sends everything due now; resolves when there is nothing due left (or sending failed). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.pump) {
      this.again = true;
      return this.pump;
    }
    this.pump = this.run().finally(() => {
      this.pump = null;
    });
    return this.pump;
  }

  /**
   * Stops polling, makes a last attempt at what is due (bounded by `flushMs`), then closes the
   * transport. Rows still unsent stay in the outbox for the next start.
   */
  async stop(flushMs = 5_000): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    if (this.closed) return;
    // The last attempt is for what people are waiting on; broadcasts resume at the next start.
    this.stopping = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushMs);
    });
    await Promise.race([this.tick().then(() => this.tick()), deadline]);
    clearTimeout(timer);
    this.closed = true;
    this.options.transport.close();
    this.renderer.close();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          if (await this.sendBatch()) continue;
          if (this.closed || (await this.sendBroadcasts()) === 0) break;
        }
      } while (this.again && !this.closed);
    } catch (error) {
      // The database said no (busy, closed): the next poll tries again.
      this.options.logger.error("mail dispatch failed", { error });
    }
  }

  /**
   * Sends due broadcast rows one at a time while the rate allows (at most a batch), recording
   * each outcome before the next send; stops early when transactional mail was nudged. Returns
   * how many it sent.
   */
  private async sendBroadcasts(): Promise<number> {
    const { store, clock } = this.options;
    if (this.stopping || this.inRush(clock.now())) return 0;
    const limit = Math.min(this.batchSize, this.broadcasts.available(clock.now()));
    const due = store.dueBroadcasts(clock.now(), limit, this.inFlight);
    let sent = 0;
    for (const row of due) {
      if (this.urgent || this.closed || !this.broadcasts.take(clock.now())) break;
      this.inFlight.add(row.id);
      try {
        const outcome = await this.send(row);
        if (outcome === null) break;
        await this.recorded([outcome]);
      } finally {
        this.inFlight.delete(row.id);
      }
      sent += 1;
    }
    return sent;
  }

  /**
   * Sends one batch of due rows (not broadcasts); true when it was full and all of it went, so
   * that more may be due at once.
   */
  private async sendBatch(): Promise<boolean> {
    const { store, clock } = this.options;
    this.urgent = false;
    const now = clock.now();
    // In a rush only what has waited long enough goes now, a few rows at a time (picked in SQL:
    // loading the rest's tickets would cost the rush); the poll looks again after it.
    const rush = this.inRush(now);
    const limit = rush ? this.rushBatchSize : this.batchSize;
    const createdBy = rush ? now - this.rushMaxDelayMs : undefined;
    const due = store.due(now, limit, this.inFlight, createdBy);
    if (due.length === 0) return false;
    for (const row of due) this.inFlight.add(row.id);
    try {
      // One recipient's mails go one after the other, in outbox order, so that an offer never
      // arrives after its expiry; different recipients' mails go out side by side.
      const byRecipient = new Map<string, (typeof due)[number][]>();
      for (const row of due) {
        const key = "missing" in row ? `#${row.id}` : row.recipient.email;
        const rows = byRecipient.get(key);
        if (rows) rows.push(row);
        else byRecipient.set(key, [row]);
      }
      const outcomes = (
        await Promise.all(
          [...byRecipient.values()].map(async (rows) => {
            const done: MailOutcome[] = [];
            for (const row of rows) {
              const outcome = await this.send(row);
              // Put off by a rush that began meanwhile: this and the recipient's later rows wait.
              if (outcome === null) break;
              done.push(outcome);
            }
            return done;
          }),
        )
      ).flat();
      await this.recorded(outcomes);
      return outcomes.length === limit;
    } finally {
      for (const row of due) this.inFlight.delete(row.id);
    }
  }

  /**
   * Writes a batch's outcomes when the write lock is free, looking again a few milliseconds later
   * while another connection (the group-commit writer, in a rush) commits: the thread that
   * serves requests never waits for the lock. The rows stay in flight meanwhile, so none is
   * picked twice. After stop's deadline the database may be closed: the rows stay pending.
   */
  private async recorded(outcomes: readonly MailOutcome[]): Promise<void> {
    const { store, clock } = this.options;
    for (let waitMs = 1; !this.closed; waitMs = Math.min(2 * waitMs, 50)) {
      if (store.tryRecord(outcomes, clock.now())) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /**
   * Renders one mail at a time, giving the event loop a turn before each: rendering is CPU work
   * on the server's thread (tens of milliseconds for a confirmation with its PDF and QR codes),
   * and a batch rendered all at once would stall every request behind it. Sends still overlap.
   */
  private render(row: DueMail | AccountDueMail): Promise<RenderedMail | null> {
    const origin = this.options.origin?.() ?? "http://localhost:3000";
    const rendered = this.rendering.then(async () => {
      // In a rush, rest nine times as long as the last render took: a tenth of the thread.
      const rest = this.inRush(this.options.clock.now())
        ? Math.min(1_000, 9 * this.lastRenderMs)
        : 0;
      await new Promise((resolve) =>
        rest > 0 ? setTimeout(resolve, rest) : setImmediate(resolve),
      );
      // A rush that began since the batch was picked puts off what has not waited long enough.
      const now = this.options.clock.now();
      if (this.inRush(now) && now - row.createdAt < this.rushMaxDelayMs) return null;
      const started = performance.now();
      try {
        return await this.renderer.render(row, { origin, passesFor: this.options.passesFor });
      } finally {
        this.lastRenderMs = performance.now() - started;
      }
    });
    this.rendering = rendered.catch(() => undefined);
    return rendered;
  }

  /** The outcome of sending `row`, or null when a rush put it off (it stays as it was). */
  private async send(row: DueRowOf): Promise<MailOutcome | null> {
    const { clock, logger, transport } = this.options;
    if ("missing" in row) {
      this.stats.gaveUp += 1;
      return { id: row.id, error: "The event of this notification does not exist", retryAt: null };
    }
    try {
      const mail = await this.render(row);
      if (mail === null) return null;
      await transport.send(mail);
      this.stats.sent += 1;
      return { id: row.id, sentAt: clock.now() };
    } catch (error) {
      const attempts = row.attempts + 1;
      const giveUp = attempts >= this.maxAttempts;
      const retryAt = giveUp ? null : clock.now() + backoffDelay(attempts, this.baseMs, this.capMs);
      this.stats.failedAttempts += 1;
      if (giveUp) this.stats.gaveUp += 1;
      logger.warn(giveUp ? "mail given up" : "mail attempt failed", {
        outboxId: row.id,
        kind: row.message.kind,
        attempts,
        retryAt,
        error: describe(error),
      });
      return { id: row.id, error: describe(error), retryAt };
    }
  }
}
