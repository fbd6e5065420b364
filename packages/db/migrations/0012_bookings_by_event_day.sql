DROP INDEX `bookings_event_status_idx`;--> statement-breakpoint
CREATE INDEX `bookings_event_status_created_idx` ON `bookings` (`event_id`,`status`,`created_at`);