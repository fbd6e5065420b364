DROP INDEX `bookings_buyer_email_created_idx`;--> statement-breakpoint
CREATE INDEX `bookings_guest_email_created_idx` ON `bookings` (`buyer_email`,`created_at`) WHERE user_id is null;