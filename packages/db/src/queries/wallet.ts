/**
 * Apple Wallet: an organizer's signing set-up, the devices that registered passes (Apple's pass
 * web service), which passes changed since a device last asked, and the server secret that
 * derives passes' authentication tokens.
 */
import type { Db } from "../open.ts";
import { prepared, preparedIn } from "../statements.ts";

export interface WalletConfig {
  readonly organizerId: string;
  readonly passTypeIdentifier: string;
  readonly teamIdentifier: string;
  readonly signerCert: string;
  readonly signerKey: string;
  readonly signerKeyPassphrase: string | null;
  readonly wwdr: string;
  readonly updatedAt: number;
}

type ConfigRow = {
  organizer_id: string;
  pass_type_identifier: string;
  team_identifier: string;
  signer_cert: string;
  signer_key: string;
  signer_key_passphrase: string | null;
  wwdr: string;
  updated_at: number;
};

const configOf = (r: ConfigRow): WalletConfig => ({
  organizerId: r.organizer_id,
  passTypeIdentifier: r.pass_type_identifier,
  teamIdentifier: r.team_identifier,
  signerCert: r.signer_cert,
  signerKey: r.signer_key,
  signerKeyPassphrase: r.signer_key_passphrase,
  wwdr: r.wwdr,
  updatedAt: r.updated_at,
});

/** The organizer's Wallet set-up, or null: no passes for their events. */
export function walletConfigOf(db: Db, organizerId: string): WalletConfig | null {
  const row = prepared<[string], ConfigRow>(
    db,
    "select * from wallet_configs where organizer_id = ?",
  ).get(organizerId);
  return row ? configOf(row) : null;
}

/** Stores (or replaces) the organizer's set-up. */
export function saveWalletConfig(db: Db, config: WalletConfig): void {
  prepared(
    db,
    `insert into wallet_configs (organizer_id, pass_type_identifier, team_identifier,
         signer_cert, signer_key, signer_key_passphrase, wwdr, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (organizer_id) do update set
         pass_type_identifier = excluded.pass_type_identifier,
         team_identifier = excluded.team_identifier, signer_cert = excluded.signer_cert,
         signer_key = excluded.signer_key, signer_key_passphrase = excluded.signer_key_passphrase,
         wwdr = excluded.wwdr, updated_at = excluded.updated_at`,
  ).run(
    config.organizerId,
    config.passTypeIdentifier,
    config.teamIdentifier,
    config.signerCert,
    config.signerKey,
    config.signerKeyPassphrase,
    config.wwdr,
    config.updatedAt,
  );
}

export function removeWalletConfig(db: Db, organizerId: string): void {
  prepared(db, "delete from wallet_configs where organizer_id = ?").run(organizerId);
}

/** Of these events, those whose organizer set up Wallet (one read for a page of bookings). */
export function eventsWithWallet(db: Db, eventIds: readonly string[]): Set<string> {
  const unique = [...new Set(eventIds)];
  if (unique.length === 0) return new Set();
  const { statement, values } = preparedIn<string, { id: string }>(
    db,
    unique,
    (placeholders) =>
      `select e.id from events e join wallet_configs w on w.organizer_id = e.organizer_id
        where e.id in (${placeholders})`,
  );
  const rows = statement.all(...values);
  return new Set(rows.map((r) => r.id));
}

/**
 * A server-wide secret by name, made by `make` the first time it is asked for (two servers
 * racing on one file both read the one that was stored first).
 */
export function appSecretOf(db: Db, name: string, make: () => string, at: number): string {
  const read = () =>
    prepared<[string], { value: string }>(db, "select value from app_secrets where name = ?").get(
      name,
    );
  const found = read();
  if (found) return found.value;
  prepared(
    db,
    "insert into app_secrets (name, value, created_at) values (?, ?, ?) on conflict do nothing",
  ).run(name, make(), at);
  const stored = read();
  if (!stored) throw new Error(`The secret ${name} could not be stored`);
  return stored.value;
}

/** A ticket by its code (a pass's serial number): its booking and its event's organizer. */
export function walletTicketOf(
  db: Db,
  code: string,
): { bookingId: string; organizerId: string } | null {
  const row = prepared<[string], { booking_id: string; organizer_id: string }>(
    db,
    `select t.booking_id, e.organizer_id from tickets t join events e on e.id = t.event_id
        where t.code = ?`,
  ).get(code);
  return row ? { bookingId: row.booking_id, organizerId: row.organizer_id } : null;
}

export interface WalletRegistration {
  readonly deviceLibraryId: string;
  readonly passTypeIdentifier: string;
  readonly serialNumber: string;
  readonly pushToken: string;
}

/** A device registered a pass: true when new, false when it was registered already. */
export function registerWalletPass(db: Db, r: WalletRegistration, at: number): boolean {
  const c = db.$client;
  const key = [r.deviceLibraryId, r.passTypeIdentifier, r.serialNumber] as const;
  return c.transaction(() => {
    const known = prepared<[string, string, string], { n: number }>(
      db,
      `select 1 as n from wallet_registrations
          where device_library_id = ? and pass_type_identifier = ? and serial_number = ?`,
    ).get(...key);
    prepared(
      db,
      `insert into wallet_registrations (device_library_id, pass_type_identifier, serial_number,
         push_token, created_at)
       values (?, ?, ?, ?, ?)
       on conflict do update set push_token = excluded.push_token`,
    ).run(...key, r.pushToken, at);
    return !known;
  })();
}

/** A device removed a pass; false when it had none such. */
export function unregisterWalletPass(
  db: Db,
  deviceLibraryId: string,
  passTypeIdentifier: string,
  serialNumber: string,
): boolean {
  return (
    prepared(
      db,
      `delete from wallet_registrations
          where device_library_id = ? and pass_type_identifier = ? and serial_number = ?`,
    ).run(deviceLibraryId, passTypeIdentifier, serialNumber).changes > 0
  );
}

/**
 * The serial numbers a device registered for a pass type that changed after `since` (all of
 * them without), and the latest change among them: Wallet's `passesUpdatedSince` tag. A ticket
 * changes when its attendee is edited (tickets.updated_at) or its booking is cancelled.
 */
export function walletSerialsUpdatedSince(
  db: Db,
  deviceLibraryId: string,
  passTypeIdentifier: string,
  since: number | null,
): { serialNumbers: string[]; lastUpdated: number } {
  const rows = prepared<[string, string], { serial: string; changed: number }>(
    db,
    `select r.serial_number as serial,
              max(coalesce(t.updated_at, 0), coalesce(b.cancelled_at, 0), b.created_at) as changed
         from wallet_registrations r
         join tickets t on t.code = r.serial_number
         join bookings b on b.id = t.booking_id
        where r.device_library_id = ? and r.pass_type_identifier = ?`,
  ).all(deviceLibraryId, passTypeIdentifier);
  const changed = since === null ? rows : rows.filter((r) => r.changed > since);
  return {
    serialNumbers: changed.map((r) => r.serial),
    lastUpdated: rows.reduce((max, r) => Math.max(max, r.changed), 0),
  };
}
