import { useQuery } from "@tanstack/react-query";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Card, Empty, ErrorBox, Loading } from "../../components/ui.tsx";
import { amount } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

function Chart({
  title,
  children,
  empty,
}: {
  title: string;
  children: React.ReactElement;
  empty: boolean;
}) {
  return (
    <Card>
      <h3 className="mb-2 font-semibold">{title}</h3>
      {empty ? (
        <Empty>No data yet.</Empty>
      ) : (
        <figure aria-label={title} className="h-64 w-full" data-chart={title}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </figure>
      )}
    </Card>
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
  const currency = a.currency;
  const days = a.salesByDay.map((d) => ({ ...d, revenue: d.revenueCents / 100 }));
  const types = a.byTicketType.map((t) => ({ name: t.name, sold: t.sold, capacity: t.capacity }));
  const totalTickets = a.sold;
  const checkin = [
    { name: "Checked in", value: a.checkedIn },
    { name: "Not yet", value: Math.max(0, totalTickets - a.checkedIn) },
  ];
  const stats: [string, string][] = [
    ["Sold", `${a.sold} / ${a.capacity}`],
    ["Revenue", amount(a.revenueCents, currency)],
    ["Refunded", amount(a.refundedCents, currency)],
    ["Net", amount(a.netRevenueCents, currency)],
    ["Bookings", String(a.bookings)],
    ["Cancellations", String(a.cancellations)],
    ["Checked in", String(a.checkedIn)],
    ["Waitlist", `${a.waitlist.waiting} waiting · ${a.waitlist.offered} offered`],
  ];
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {stats.map(([label, value]) => (
          <Card key={label}>
            <dt className="text-sm text-slate-600">{label}</dt>
            <dd className="text-xl font-bold">{value}</dd>
          </Card>
        ))}
      </dl>
      <div className="grid gap-4 md:grid-cols-2">
        <Chart title="Tickets sold by day" empty={days.length === 0}>
          <BarChart data={days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar isAnimationActive={false} dataKey="tickets" name="Tickets" fill="#4338ca" />
          </BarChart>
        </Chart>
        <Chart title={`Revenue by day (${currency})`} empty={days.length === 0}>
          <LineChart data={days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis />
            <Tooltip formatter={(v) => amount(Number(v) * 100, currency)} />
            <Line
              isAnimationActive={false}
              type="monotone"
              dataKey="revenue"
              name="Revenue"
              stroke="#047857"
              strokeWidth={2}
            />
          </LineChart>
        </Chart>
        <Chart title="Sold by ticket type" empty={types.length === 0}>
          <BarChart data={types}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar isAnimationActive={false} dataKey="sold" name="Sold" fill="#4338ca" />
            <Bar isAnimationActive={false} dataKey="capacity" name="Capacity" fill="#cbd5e1" />
          </BarChart>
        </Chart>
        <Chart title="Check-in progress" empty={totalTickets === 0}>
          <PieChart>
            <Pie
              isAnimationActive={false}
              data={checkin}
              dataKey="value"
              nameKey="name"
              innerRadius="55%"
              outerRadius="80%"
              label
            >
              <Cell fill="#047857" />
              <Cell fill="#cbd5e1" />
            </Pie>
            <Tooltip />
            <Legend />
          </PieChart>
        </Chart>
      </div>
    </div>
  );
}
