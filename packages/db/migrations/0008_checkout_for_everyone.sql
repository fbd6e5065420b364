CREATE TABLE `booking_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`booking_id` text NOT NULL,
	`question_id` text NOT NULL,
	`ticket_index` integer,
	`label` text NOT NULL,
	`kind` text NOT NULL,
	`options` text DEFAULT '[]' NOT NULL,
	`value` text NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `booking_answers_booking_idx` ON `booking_answers` (`booking_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text,
	`buyer_email` text NOT NULL,
	`buyer_name` text,
	`order_token_hash` text,
	`hold_id` text,
	`status` text NOT NULL,
	`total_cents` integer NOT NULL,
	`paid_cents` integer NOT NULL,
	`refund_cents` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`seat_ids` text NOT NULL,
	`idempotency_key` text,
	`request_hash` text,
	`created_at` integer NOT NULL,
	`cancelled_at` integer,
	`cancelled_by` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_bookings`("id", "event_id", "user_id", "buyer_email", "buyer_name", "order_token_hash", "hold_id", "status", "total_cents", "paid_cents", "refund_cents", "currency", "seat_ids", "idempotency_key", "request_hash", "created_at", "cancelled_at", "cancelled_by") SELECT "id", "event_id", "user_id", (select lower(trim(u.email)) from users u where u.id = bookings.user_id), NULL, NULL, "hold_id", "status", "total_cents", "paid_cents", "refund_cents", "currency", "seat_ids", "idempotency_key", "request_hash", "created_at", "cancelled_at", "cancelled_by" FROM `bookings`;--> statement-breakpoint
DROP TABLE `bookings`;--> statement-breakpoint
ALTER TABLE `__new_bookings` RENAME TO `bookings`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `bookings_event_status_idx` ON `bookings` (`event_id`,`status`);--> statement-breakpoint
CREATE INDEX `bookings_user_created_idx` ON `bookings` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `bookings_buyer_email_created_idx` ON `bookings` (`buyer_email`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_order_token_idx` ON `bookings` (`order_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_idempotency_idx` ON `bookings` (`user_id`,`idempotency_key`) WHERE idempotency_key is not null;--> statement-breakpoint
CREATE TABLE `__new_holds` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text,
	`buyer_email` text NOT NULL,
	`buyer_name` text,
	`status` text NOT NULL,
	`items` text NOT NULL,
	`seat_ids` text NOT NULL,
	`total_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`ended_at` integer,
	`idempotency_key` text,
	`request_hash` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_holds`("id", "event_id", "user_id", "buyer_email", "buyer_name", "status", "items", "seat_ids", "total_cents", "currency", "created_at", "expires_at", "ended_at", "idempotency_key", "request_hash") SELECT "id", "event_id", "user_id", (select lower(trim(u.email)) from users u where u.id = holds.user_id), NULL, "status", "items", "seat_ids", "total_cents", "currency", "created_at", "expires_at", "ended_at", "idempotency_key", "request_hash" FROM `holds`;--> statement-breakpoint
DROP TABLE `holds`;--> statement-breakpoint
ALTER TABLE `__new_holds` RENAME TO `holds`;--> statement-breakpoint
CREATE INDEX `holds_event_status_idx` ON `holds` (`event_id`,`status`);--> statement-breakpoint
CREATE INDEX `holds_user_idx` ON `holds` (`user_id`);--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`recipient_user_id` text,
	`recipient_email` text,
	`recipient_name` text,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`sent_at` integer,
	`failed_at` integer,
	`last_error` text,
	FOREIGN KEY (`recipient_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "kind", "recipient_user_id", "recipient_email", "recipient_name", "payload", "created_at", "attempts", "next_attempt_at", "sent_at", "failed_at", "last_error") SELECT "id", "kind", "recipient_user_id", NULL, NULL, "payload", "created_at", "attempts", "next_attempt_at", "sent_at", "failed_at", "last_error" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`next_attempt_at`) WHERE sent_at is null and failed_at is null;--> statement-breakpoint
ALTER TABLE `events` ADD `guest_checkout` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `personalized_tickets` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `edit_cutoff_hours` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `attendee_name` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `attendee_email` text;