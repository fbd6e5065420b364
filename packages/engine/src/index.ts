export type {
  Booked,
  BookOutcome,
  BookRequest,
  Buyer,
  CheckoutDetails,
  ConfirmRequest,
  HoldRequest,
  PaymentInput,
} from "./bookings.ts";
export { principalOfBuyer, requestHash } from "./bookings.ts";
export type { AppliedCode } from "./codes.ts";
export type { Engine, EngineLimits, EngineOptions } from "./engine.ts";
export { createEngine, DEFAULT_ENGINE_LIMITS } from "./engine.ts";
export type { LiveFeed, LiveView } from "./live.ts";
export type { Order, OrderChanges } from "./orders.ts";
export type { Charge, PaymentProvider, PaymentRequest } from "./payments.ts";
export { createMockPaymentProvider } from "./payments.ts";
export type { EngineLogger } from "./refunds.ts";
export { refundRetryDelay } from "./refunds.ts";
export type {
  RoomEntrant,
  RoomStatsView,
  RoomStatusView,
  RoomVisitor,
} from "./room.ts";
export { CHALLENGE_ALGORITHM, CHALLENGE_SECONDS, challengeCost } from "./room-challenge.ts";
export type {
  SeatMapView,
  StoredEvent,
  UserSeats,
  WaitlistEntryView,
  WaitlistState,
  WaitlistStatusView,
} from "./views.ts";
