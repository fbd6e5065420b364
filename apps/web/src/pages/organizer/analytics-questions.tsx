/**
 * Answers to the event's choice, multichoice and checkbox questions (`analytics.event`
 * `questions`): one bar chart per question, its counts in the summary and as a table.
 */
import { Bar, BarChart, CartesianGrid, LabelList, XAxis, YAxis } from "recharts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { Chart, INDIGO } from "./analytics-parts.tsx";

type QuestionFigures = RouterOutputs["analytics"]["event"]["questions"][number];

const option = (o: string) => (o === "yes" ? "Yes" : o === "no" ? "No" : o);

function QuestionChart({ q }: { q: QuestionFigures }) {
  const data = q.options.map((o) => ({ name: option(o.option), count: o.count }));
  const people = (n: number) => `${n} answer${n === 1 ? "" : "s"}`;
  return (
    <Chart
      title={`Answers: ${q.label}`}
      summary={
        q.answered === 0
          ? "No answers yet."
          : `${people(q.answered)}. ${data.map((d) => `${d.name}: ${d.count}`).join(" · ")}`
      }
      empty={q.answered === 0}
      table={{ columns: ["Answer", "Count"], rows: data.map((d) => [d.name, d.count]) }}
    >
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ right: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="name" width={110} />
        <Bar isAnimationActive={false} dataKey="count" name="Answers" fill={INDIGO} maxBarSize={32}>
          <LabelList dataKey="count" position="right" />
        </Bar>
      </BarChart>
    </Chart>
  );
}

export function QuestionCharts({ questions }: { questions: readonly QuestionFigures[] }) {
  if (questions.length === 0) return null;
  return (
    <section aria-labelledby="answers-heading" className="flex flex-col gap-3">
      <h2 id="answers-heading" className="text-xl font-semibold">
        Answers to your questions
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        {questions.map((q) => (
          <QuestionChart key={q.questionId} q={q} />
        ))}
      </div>
    </section>
  );
}
