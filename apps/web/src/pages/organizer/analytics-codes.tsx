/** Codes in the event's analytics (`analytics.event` `codes`): what each code sold and gave away. */
import { Card } from "../../components/ui.tsx";
import { amount } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

type CodeFigures = RouterOutputs["analytics"]["event"]["codes"][number];

export function CodesTable({ codes, currency }: { codes: CodeFigures[]; currency: string }) {
  if (codes.length === 0) return null;
  return (
    <Card>
      <h2 className="mb-2 font-semibold">Codes</h2>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Uses, tickets, revenue and discount per code</caption>
          <thead>
            <tr className="border-b border-slate-300">
              {["Code", "Kind", "Uses", "Tickets", "Revenue", "Discount given"].map((c) => (
                <th key={c} scope="col" className="py-1 pr-3 font-semibold">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.codeId} className="border-b border-slate-100 tabular-nums">
                <td className="break-all py-1 pr-3 font-mono">{c.code}</td>
                <td className="py-1 pr-3">{c.kind === "discount" ? "Discount" : "Access"}</td>
                <td className="py-1 pr-3">{c.uses}</td>
                <td className="py-1 pr-3">{c.tickets}</td>
                <td className="py-1 pr-3">{amount(c.revenueCents, currency)}</td>
                <td className="py-1 pr-3">{amount(c.discountCents, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
