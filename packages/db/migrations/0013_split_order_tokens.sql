DROP INDEX `bookings_order_token_idx`;--> statement-breakpoint
ALTER TABLE `bookings` ADD `order_secret_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_order_token_idx` ON `bookings` (`order_token_hash`) WHERE order_token_hash is not null;