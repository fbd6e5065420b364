/**
 * The analytics page's chart frame: a title, a one-line summary, the picture, and the same
 * figures as a table (the picture's text alternative), plus the colours and labels they share.
 */
import { type ReactElement, useId } from "react";
import { ResponsiveContainer } from "recharts";
import { Card, Empty } from "../../components/ui.tsx";

// Every colour keeps 3:1 against white (graphics) and legends are written in body text colour.
export const INDIGO = "#4338ca";
export const AMBER = "#b45309";
export const SLATE = "#64748b";
export const GREEN = "#047857";
export const CURRENCY_COLOURS = [GREEN, INDIGO, AMBER, "#be185d"];

/** A day of the event's calendar ("2026-06-01") as people read it. */
export function dayLabel(day: string, style: "short" | "long" = "short"): string {
  const options =
    style === "short"
      ? ({ month: "short", day: "numeric" } as const)
      : ({ weekday: "short", month: "short", day: "numeric", year: "numeric" } as const);
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** Legend labels in body text colour (slate-800), whatever their series' colour. */
export const legendText = (value: string) => <span style={{ color: "#1e293b" }}>{value}</span>;

/** Axis ticks in the currency when the chart has one ("$40"), plain numbers otherwise. */
export const axisMoney = (currencies: string[]) => (v: number) =>
  currencies.length === 1
    ? new Intl.NumberFormat(undefined, {
        style: "currency",
        currency: currencies[0],
        notation: "compact",
      }).format(v)
    : String(v);

export interface TableSpec {
  columns: string[];
  /** One cell per column. */
  rows: (string | number)[][];
}

/** The chart's text alternative: the same figures as a table, one click away for everyone. */
export function FiguresTable({ caption, table }: { caption: string; table: TableSpec }) {
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer font-medium text-indigo-800 underline">
        Show the figures as a table
      </summary>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr className="border-b border-slate-300">
              {table.columns.map((c) => (
                <th key={c} scope="col" className="py-1 pr-3 font-semibold">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])} className="border-b border-slate-100">
                {row.map((cell, i) => (
                  <td key={table.columns[i]} className="py-1 pr-3 tabular-nums">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function Chart(props: {
  title: string;
  summary: string;
  table: TableSpec;
  empty: boolean;
  children: ReactElement;
}) {
  const id = useId();
  return (
    <Card>
      <figure
        data-chart={props.title}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-summary`}
      >
        <figcaption>
          <h3 id={`${id}-title`} className="font-semibold">
            {props.title}
          </h3>
          <p id={`${id}-summary`} className="text-sm text-slate-700">
            {props.summary}
          </p>
        </figcaption>
        {props.empty ? (
          <Empty>No data yet.</Empty>
        ) : (
          <>
            {/* The picture is for sighted readers; the table below carries the same figures. */}
            <div className="mt-2 h-64 w-full" aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%">
                {props.children}
              </ResponsiveContainer>
            </div>
            <FiguresTable caption={props.title} table={props.table} />
          </>
        )}
      </figure>
    </Card>
  );
}
