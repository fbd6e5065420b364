ALTER TABLE `holds` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `holds` ADD `request_hash` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `refunds` ADD `last_error` text;--> statement-breakpoint
CREATE INDEX `refunds_pending_idx` ON `refunds` (`next_attempt_at`) WHERE provider_ref is null and amount_cents > 0;--> statement-breakpoint
CREATE INDEX `booking_items_type_idx` ON `booking_items` (`ticket_type_id`);--> statement-breakpoint
ALTER TABLE `ticket_types` DROP COLUMN `sold`;