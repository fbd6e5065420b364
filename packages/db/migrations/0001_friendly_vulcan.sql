CREATE TABLE `waitlist_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`ticket_type_id` text,
	`quantity` integer NOT NULL,
	`seq` integer NOT NULL,
	`state` text NOT NULL,
	`hold_id` text,
	`booking_id` text,
	`joined_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `waitlist_event_state_seq_idx` ON `waitlist_entries` (`event_id`,`state`,`seq`);--> statement-breakpoint
CREATE INDEX `waitlist_user_event_idx` ON `waitlist_entries` (`user_id`,`event_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `waitlist_active_user_idx` ON `waitlist_entries` (`event_id`,`user_id`) WHERE state in ('waiting', 'offered');