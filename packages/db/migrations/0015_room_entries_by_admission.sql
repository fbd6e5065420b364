DROP INDEX `room_entries_event_state_place_idx`;--> statement-breakpoint
CREATE INDEX `room_entries_event_admitted_idx` ON `room_entries` (`event_id`,`admitted_at`) WHERE admitted_at is not null;