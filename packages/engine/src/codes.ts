/**
 * Promo and access codes as intentions: the organizer's changes go through the event's actor
 * (one command, one transaction, however many codes), and a buyer's code is checked against the
 * actor's state. Unknown codes count as misses per client IP (CODE_MISSES_PER_IP_PER_MINUTE).
 */
import {
  type CodeConfig,
  DomainError,
  type EventState,
  normaliseCode,
  usableCode,
  usesLeft,
} from "@boxoffice/core";
import { RateWindow } from "./rate-window.ts";
import type { EventActor } from "./registry.ts";

/**
 * Misses (unknown or disabled codes) per client IP; beyond the limit, RATE_LIMITED. The IP is
 * asked for (`ip()`) only when a miss must be counted, or some IP has misses: reading it from the
 * socket cost about 5 % of the request thread of a rush where every buyer brings a good code.
 */
export class CodeMisses {
  private readonly window: RateWindow;

  constructor(
    max: number,
    private readonly now: () => number,
  ) {
    this.window = new RateWindow(max, 60_000);
  }

  /** RATE_LIMITED while `ip` has used up its misses for the minute. */
  gate(ip: () => string): void {
    if (this.window.empty) return;
    const at = this.now();
    const next = this.window.nextAllowedAt(ip(), at);
    if (next <= at) return;
    throw new DomainError("RATE_LIMITED", "Too many unknown codes tried; wait a minute", {
      retryAfterSeconds: Math.max(1, Math.ceil((next - at) / 1000)),
    });
  }

  /** Counts a miss when `error` says the code is unknown; rethrows it either way. */
  noteAndThrow(ip: () => string, error: unknown): never {
    if (error instanceof DomainError && error.reason === "CODE_INVALID") {
      this.window.take(ip(), this.now());
    }
    throw error;
  }

  /** Runs `attempt` for a request carrying a code: gated before, its miss counted after. */
  async guard<T>(ip: () => string, attempt: () => Promise<T>): Promise<T> {
    this.gate(ip);
    try {
      return await attempt();
    } catch (error) {
      this.noteAndThrow(ip, error);
    }
  }

  sweep(): void {
    this.window.sweep(this.now());
  }
}

export interface AppliedCode {
  readonly code: CodeConfig;
  /** Null: unlimited; for the caller (person given) the smaller of overall and theirs. */
  readonly usesLeft: number | null;
}

export function createCodeFlows(deps: {
  now: () => number;
  actorOf: (eventId: string) => EventActor;
  misses: CodeMisses;
}) {
  const { now, actorOf, misses } = deps;
  return {
    /** Adds or replaces codes in one actor command (one transaction, however many). */
    async upsertCodes(eventId: string, codes: readonly CodeConfig[]): Promise<void> {
      await actorOf(eventId).ask({ type: "UpsertCodes", codes });
    },

    /** The code as the actor holds it now (for updates), or null. */
    codeById(eventId: string, codeId: string): CodeConfig | null {
      const state: EventState = actorOf(eventId).state;
      for (const code of state.codes.values()) if (code.id === codeId) return code;
      return null;
    },

    /**
     * What a typed code does, checked against the actor's state now (no use is taken):
     * CODE_INVALID, CODE_EXPIRED or CODE_EXHAUSTED otherwise.
     */
    async applyCode(req: {
      eventId: string;
      text: string;
      /** The client's IP, asked for only if needed. */
      ip: () => string;
      person: string | null;
    }): Promise<AppliedCode> {
      return misses.guard(req.ip, async () => {
        const state = actorOf(req.eventId).state;
        const found = usableCode(state, normaliseCode(req.text), req.person, now());
        if (found instanceof DomainError) throw found;
        return { code: found, usesLeft: usesLeft(state, found, req.person) };
      });
    },
  };
}
