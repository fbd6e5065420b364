CREATE TABLE `app_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`author_id` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`audience` text NOT NULL,
	`recipients` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broadcasts_event_idx` ON `broadcasts` (`event_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mail_unsubscribes` (
	`organizer_id` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organizer_id`, `email`),
	FOREIGN KEY (`organizer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `organizer_mail_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`sale_digest` text DEFAULT 'daily' NOT NULL,
	`sold_out` integer DEFAULT true NOT NULL,
	`waitlist_growing` integer DEFAULT true NOT NULL,
	`refund_failed` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `organizer_notices` (
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `kind`, `key`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `unsubscribe_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wallet_configs` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`pass_type_identifier` text NOT NULL,
	`team_identifier` text NOT NULL,
	`signer_cert` text NOT NULL,
	`signer_key` text NOT NULL,
	`signer_key_passphrase` text,
	`wwdr` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wallet_registrations` (
	`device_library_id` text NOT NULL,
	`pass_type_identifier` text NOT NULL,
	`serial_number` text NOT NULL,
	`push_token` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`device_library_id`, `pass_type_identifier`, `serial_number`)
);
--> statement-breakpoint
CREATE INDEX `wallet_registrations_serial_idx` ON `wallet_registrations` (`serial_number`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `broadcast_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `skipped_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_broadcast_recipient_idx` ON `outbox` (`broadcast_id`,`recipient_email`) WHERE broadcast_id is not null;--> statement-breakpoint
ALTER TABLE `tickets` ADD `updated_at` integer;