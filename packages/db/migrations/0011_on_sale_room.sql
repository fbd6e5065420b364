CREATE TABLE `room_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`person_key` text NOT NULL,
	`seq` integer NOT NULL,
	`place` integer,
	`state` text NOT NULL,
	`entered_at` integer NOT NULL,
	`admitted_at` integer,
	`token_expires_at` integer,
	`ended_at` integer,
	`order_id` text,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `room_entries_event_seq_idx` ON `room_entries` (`event_id`,`seq`);--> statement-breakpoint
CREATE INDEX `room_entries_event_state_place_idx` ON `room_entries` (`event_id`,`state`,`place`);--> statement-breakpoint
CREATE INDEX `room_entries_event_person_idx` ON `room_entries` (`event_id`,`person_key`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `room_entries_live_person_idx` ON `room_entries` (`event_id`,`person_key`) WHERE state in ('waiting', 'admitted');--> statement-breakpoint
CREATE TABLE `rooms` (
	`event_id` text PRIMARY KEY NOT NULL,
	`seed` text,
	`drawn_at` integer,
	`entrants` integer DEFAULT 0 NOT NULL,
	`doors_open_at` integer,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`last_place` integer DEFAULT 0 NOT NULL,
	`admitted_total` integer DEFAULT 0 NOT NULL,
	`lapsed_total` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `events` ADD `on_sale_room` text;