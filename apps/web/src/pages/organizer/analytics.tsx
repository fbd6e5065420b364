import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Legend,
  Pie,
  PieChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ErrorBox, Loading } from "../../components/ui.tsx";
import { amount } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { CodesTable } from "./analytics-codes.tsx";
import {
  AMBER,
  axisMoney,
  Chart,
  CURRENCY_COLOURS,
  dayLabel,
  GREEN,
  INDIGO,
  legendText,
  SLATE,
} from "./analytics-parts.tsx";
import { QuestionCharts } from "./analytics-questions.tsx";
import { useManagedEvent } from "./manage.tsx";

type Figures = RouterOutputs["analytics"]["event"];

/** Amounts per currency, one line each: different currencies are never added up. */
function PerCurrency({
  figures,
  field,
}: {
  figures: Figures;
  field: "revenueCents" | "refundedCents" | "netRevenueCents";
}) {
  if (figures.revenue.length === 0) return <>{amount(0, figures.currency)}</>;
  return (
    <>
      {figures.revenue.map((m) => (
        <span key={m.currency} className="block">
          {amount(m[field], m.currency)}
        </span>
      ))}
    </>
  );
}

function CheckedIn({ a }: { a: Figures }) {
  const total = a.checkedIn + a.checkedInCancelled;
  return (
    <>
      <dd className="text-xl font-bold">{total}</dd>
      <dd className="text-sm text-slate-700">
        {a.checkedInCancelled > 0
          ? `${a.checkedInCancelled} on bookings cancelled since`
          : `of ${a.sold} ticket${a.sold === 1 ? "" : "s"}`}
      </dd>
    </>
  );
}

function Stats({ a }: { a: Figures }) {
  const stats: [string, string, ReactNode][] = [
    ["sold", "Sold", `${a.sold} of ${a.capacity}`],
    ["revenue", "Revenue", <PerCurrency key="r" figures={a} field="revenueCents" />],
    ["refunded", "Refunded", <PerCurrency key="f" figures={a} field="refundedCents" />],
    ["net", "Net", <PerCurrency key="n" figures={a} field="netRevenueCents" />],
    ["bookings", "Bookings", a.bookings],
    ["cancellations", "Cancellations", a.cancellations],
    ["checked-in", "Checked in", null],
    ["waitlist", "Waitlist", `${a.waitlist.waiting} waiting · ${a.waitlist.offered} offered`],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {stats.map(([key, label, value]) => (
        <div
          key={key}
          data-stat={key}
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <dt className="text-sm text-slate-600">{label}</dt>
          {key === "checked-in" ? (
            <CheckedIn a={a} />
          ) : (
            <dd className="text-xl font-bold">{value}</dd>
          )}
        </div>
      ))}
    </dl>
  );
}

function SalesCharts({ a, timezone }: { a: Figures; timezone: string }) {
  const days = a.salesByDay;
  const currencies = [...new Set(days.flatMap((d) => d.revenue.map((r) => r.currency)))].sort();
  const tickets = days.map((d) => ({ ...d, label: dayLabel(d.day) }));
  const revenue = days.map((d) => ({
    label: dayLabel(d.day),
    ...Object.fromEntries(d.revenue.map((r) => [r.currency, r.revenueCents / 100])),
  }));
  const stillSold = days.reduce((n, d) => n + d.tickets, 0);
  const cancelled = days.reduce((n, d) => n + d.cancelledTickets, 0);
  const dayCount = `${days.length} day${days.length === 1 ? "" : "s"}`;
  const money = (currency: string) => (v: unknown) => amount(Number(v) * 100, currency);
  return (
    <>
      <Chart
        title="Tickets sold by day"
        summary={`${stillSold} still sold and ${cancelled} cancelled since, over ${dayCount} (days in ${timezone}).`}
        empty={days.length === 0}
        table={{
          columns: ["Day", "Still sold", "Cancelled since"],
          rows: days.map((d) => [dayLabel(d.day, "long"), d.tickets, d.cancelledTickets]),
        }}
      >
        <BarChart data={tickets} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend formatter={legendText} itemSorter={null} />
          <Bar
            isAnimationActive={false}
            dataKey="tickets"
            name="Still sold"
            stackId="t"
            fill={INDIGO}
            maxBarSize={64}
          />
          <Bar
            isAnimationActive={false}
            dataKey="cancelledTickets"
            name="Cancelled since"
            stackId="t"
            fill={AMBER}
            maxBarSize={64}
          />
        </BarChart>
      </Chart>
      <Chart
        title={`Revenue by day (${currencies.join(", ") || a.currency})`}
        summary={`What each day's sales took, before refunds, over ${dayCount}.`}
        empty={days.length === 0}
        table={{
          columns: ["Day", ...currencies.map((c) => `Revenue (${c})`)],
          rows: days.map((d) => [
            dayLabel(d.day, "long"),
            ...currencies.map((c) =>
              amount(d.revenue.find((r) => r.currency === c)?.revenueCents ?? 0, c),
            ),
          ]),
        }}
      >
        <BarChart
          data={revenue}
          accessibilityLayer={false}
          margin={{ top: 24, right: 8, left: 8, bottom: 5 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis tickFormatter={axisMoney(currencies)} width={64} />
          <Tooltip formatter={(v, name) => money(String(name))(v)} />
          {currencies.length > 1 && <Legend formatter={legendText} itemSorter={null} />}
          {currencies.map((c, i) => (
            <Bar
              key={c}
              isAnimationActive={false}
              dataKey={c}
              name={c}
              fill={CURRENCY_COLOURS[i % CURRENCY_COLOURS.length]}
              maxBarSize={64}
            >
              <LabelList
                dataKey={c}
                position="top"
                formatter={money(c)}
                className="fill-slate-800 text-xs"
              />
            </Bar>
          ))}
        </BarChart>
      </Chart>
    </>
  );
}

function TypeAndDoorCharts({ a }: { a: Figures }) {
  const types = a.byTicketType.map((t) => ({ name: t.name, sold: t.sold, capacity: t.capacity }));
  const notYet = Math.max(0, a.sold - a.checkedIn);
  const checkin = [
    { name: "Checked in", value: a.checkedIn, fill: GREEN },
    { name: "Not yet", value: notYet, fill: SLATE },
    { name: "Checked in, booking cancelled since", value: a.checkedInCancelled, fill: AMBER },
  ];
  const shown = checkin.filter((c) => c.value > 0);
  const tickets = (n: number) => `${n} ticket${n === 1 ? "" : "s"}`;
  const before = `checked in before their booking was cancelled`;
  const checkinSummary =
    a.checkedInCancelled === 0
      ? `${a.checkedIn} of ${tickets(a.sold)} checked in.`
      : a.sold === 0
        ? `${tickets(a.checkedInCancelled)} ${before}.`
        : `${a.checkedIn} of ${tickets(a.sold)} checked in, and ${a.checkedInCancelled} more ${before}.`;
  return (
    <>
      <Chart
        title="Sold by ticket type"
        summary={types.map((t) => `${t.name}: ${t.sold} of ${t.capacity}`).join(" · ")}
        empty={types.length === 0}
        table={{
          columns: ["Ticket type", "Sold", "Capacity", `Revenue (${a.currency})`],
          rows: a.byTicketType.map((t) => [
            t.name,
            t.sold,
            t.capacity,
            amount(t.revenueCents, a.currency),
          ]),
        }}
      >
        <BarChart data={types} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend formatter={legendText} itemSorter={null} />
          <Bar isAnimationActive={false} dataKey="sold" name="Sold" fill={INDIGO} maxBarSize={64} />
          <Bar
            isAnimationActive={false}
            dataKey="capacity"
            name="Capacity"
            fill={SLATE}
            maxBarSize={64}
          />
        </BarChart>
      </Chart>
      <Chart
        title="Check-in"
        summary={checkinSummary}
        empty={shown.length === 0}
        table={{ columns: ["Tickets", "Count"], rows: checkin.map((c) => [c.name, c.value]) }}
      >
        <PieChart accessibilityLayer={false}>
          <Pie
            isAnimationActive={false}
            rootTabIndex={-1}
            data={shown}
            dataKey="value"
            nameKey="name"
            innerRadius="55%"
            outerRadius="80%"
            label
          >
            {shown.map((c) => (
              <Cell key={c.name} fill={c.fill} />
            ))}
          </Pie>
          <Tooltip />
          <Legend formatter={legendText} itemSorter={null} />
        </PieChart>
      </Chart>
    </>
  );
}

export function AnalyticsPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const analytics = useQuery(
    trpc.analytics.event.queryOptions({ eventId: event.id }, { refetchInterval: 15_000 }),
  );
  if (analytics.isPending) return <Loading what="Loading analytics" />;
  if (analytics.isError) return <ErrorBox error={analytics.error} />;
  const a = analytics.data;
  return (
    <div className="flex flex-col gap-4">
      <Stats a={a} />
      <div className="grid gap-4 md:grid-cols-2">
        <SalesCharts a={a} timezone={event.timezone} />
        <TypeAndDoorCharts a={a} />
      </div>
      <CodesTable codes={a.codes} currency={event.currency} />
      <QuestionCharts questions={a.questions} />
    </div>
  );
}
