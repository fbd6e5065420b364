CREATE TABLE `event_seat_layouts` (
	`event_id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`layout` text NOT NULL,
	`seat_count` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `venues` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`layout` text NOT NULL,
	`seat_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `venues_organizer_idx` ON `venues` (`organizer_id`,`created_at`);