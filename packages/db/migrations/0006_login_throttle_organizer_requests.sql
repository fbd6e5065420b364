ALTER TABLE `login_failures` ADD `ip` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `login_failures` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `login_failures_email_ip_at_idx` ON `login_failures` (`email`,`ip`,`at`);--> statement-breakpoint
CREATE INDEX `login_failures_ip_at_idx` ON `login_failures` (`ip`,`at`);--> statement-breakpoint
ALTER TABLE `users` ADD `organizer_requested_at` integer;