/**
 * The event form's "On-sale room" section: on or off, when it opens (in the event's zone;
 * empty: at sales start), how fast it lets buyers in, how long a turn and a closed page last,
 * and how hard the bot check is.
 */
import { Field } from "../../components/ui.tsx";
import type { FieldErrors } from "../../lib/forms.ts";
import { Section, type SetField, zonedHint } from "./event-form-parts.tsx";
import type { EventFormState } from "./event-form-state.ts";
import type { RoomForm } from "./room-form-state.ts";

/** What each difficulty costs a buyer's phone, on average (docs/API.md "room", Difficulty). */
const difficulties: [string, string][] = [
  ["1", "1: a blink (for tests and scripts)"],
  ["2", "2: about 0.2 seconds on a phone"],
  ["3", "3: about 0.4 seconds on a phone"],
  ["4", "4: about 1 second on a phone (recommended)"],
  ["5", "5: about 2 seconds on a phone"],
  ["6", "6: about 3 seconds on a phone"],
  ["7", "7: about 6 seconds on a phone"],
  ["8", "8: about 13 seconds on a phone"],
  ["9", "9: about 26 seconds on a phone"],
  ["10", "10: about 50 seconds on a phone"],
];

export function RoomSettings({
  s,
  errors,
  set,
}: {
  s: EventFormState;
  errors: FieldErrors;
  set: SetField;
}) {
  const room = s.room;
  const update = (patch: Partial<RoomForm>) => set("room", { ...room, ...patch });
  const number = (
    key: "admitPerMinute" | "tokenMinutes" | "graceMinutes",
    label: string,
    hint: string,
  ) => (
    <Field label={label} error={errors[`room.${key}`]} hint={hint}>
      {(p) => (
        <input
          {...p}
          inputMode="decimal"
          name={`room.${key}`}
          value={room[key]}
          onChange={(e) => update({ [key]: e.target.value })}
        />
      )}
    </Field>
  );
  const opensHint = zonedHint(room.opensAt, s.timezone);
  return (
    <Section title="On-sale room">
      <label className="flex items-start gap-2 sm:col-span-2">
        <input
          type="checkbox"
          className="mt-1 h-5 w-5 shrink-0"
          name="room.enabled"
          checked={room.enabled}
          onChange={(e) => update({ enabled: e.target.checked })}
        />
        <span>
          Sell through an on-sale room
          <span className="block text-sm text-slate-600">
            For busy on-sales: buyers wait in a room, everyone there at opening gets a random place
            in the queue, and the room lets them in a few at a time. Reloading faster wins nothing.
            Once the queue is empty, the doors open and anyone can buy directly.
          </span>
        </span>
      </label>
      {errors["room.enabled"] && (
        <p className="text-sm font-medium text-red-700 sm:col-span-2">{errors["room.enabled"]}</p>
      )}
      {room.enabled && (
        <>
          <Field
            label="Room opens (optional)"
            error={errors["room.opensAt"]}
            hint={`${opensHint ? `${opensHint}. ` : ""}Empty: when sales start${s.salesStartAt ? "" : " (or at once, with no sales start)"}.`}
          >
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                name="room.opensAt"
                value={room.opensAt}
                onChange={(e) => update({ opensAt: e.target.value })}
              />
            )}
          </Field>
          {number(
            "admitPerMinute",
            "Admissions per minute (optional)",
            "Empty: as fast as tickets free up.",
          )}
          {number(
            "tokenMinutes",
            "Minutes to buy",
            "How long an admitted buyer has to hold tickets (1 to 60).",
          )}
          {number(
            "graceMinutes",
            "Minutes a closed page keeps its place",
            "A buyer who closes the page keeps their place this long (0.5 to 60).",
          )}
          <Field
            label="Bot check difficulty"
            error={errors["room.difficulty"]}
            hint="How long a device works before joining the room. Each step doubles what a bot pays per place it tries to take, and what a buyer's phone spends once."
          >
            {(p) => (
              <select
                {...p}
                name="room.difficulty"
                value={room.difficulty}
                onChange={(e) => update({ difficulty: e.target.value })}
              >
                {difficulties.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </Section>
  );
}
