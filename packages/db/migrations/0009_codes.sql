CREATE TABLE `codes` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`discount` text,
	`ticket_type_ids` text,
	`max_uses` integer,
	`max_uses_per_buyer` integer,
	`valid_from` integer,
	`valid_until` integer,
	`unlocks_ticket_type_ids` text NOT NULL,
	`opens_sales_at` integer,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `codes_event_code_idx` ON `codes` (`event_id`,`code`);--> statement-breakpoint
CREATE INDEX `codes_event_created_idx` ON `codes` (`event_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `booking_items` ADD `list_price_cents` integer;--> statement-breakpoint
ALTER TABLE `bookings` ADD `code_id` text;--> statement-breakpoint
CREATE INDEX `bookings_code_idx` ON `bookings` (`code_id`) WHERE code_id is not null;--> statement-breakpoint
ALTER TABLE `holds` ADD `code_id` text;--> statement-breakpoint
CREATE INDEX `holds_code_idx` ON `holds` (`code_id`) WHERE code_id is not null;--> statement-breakpoint
ALTER TABLE `ticket_types` ADD `hidden` integer DEFAULT false NOT NULL;