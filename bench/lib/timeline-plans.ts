// What PostgreSQL does for one home timeline call: the statements the call sends are caught at the
// pool, each is run again under EXPLAIN ANALYZE with the same values, and the scans of each plan are
// summed up in a line (printed in full too), so the benchmark shows which indexes a page uses and a
// sequential scan of a big table stands out.
import type { Database } from "../../src/db/client.ts";
import { postgresPool } from "../../src/db/dialect.ts";

interface Caught {
  text: string;
  values: unknown[];
}

/** Runs `call` once, then EXPLAINs what it sent; answers "statement: scans (ms); …". */
export async function explainHomeTimeline(
  db: Database,
  call: () => Promise<unknown>,
): Promise<string> {
  const pool = postgresPool(db);
  if (pool === undefined) return "";
  const caught: Caught[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (config: unknown, values?: unknown[]) => {
    const text = typeof config === "string" ? config : (config as { text: string }).text;
    caught.push({ text, values: values ?? (config as { values?: unknown[] }).values ?? [] });
    return query(config, values);
  };
  try {
    await call();
  } finally {
    (pool as unknown as { query: unknown }).query = query;
  }
  const lines: string[] = [];
  for (const [i, statement] of caught.entries()) {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(
      `explain (analyze, costs off, timing off, summary on) ${statement.text}`,
      statement.values,
    );
    const plan = rows.map((r) => r["QUERY PLAN"]);
    process.stdout.write(`-- statement ${i + 1}\n${statement.text}\n${plan.join("\n")}\n`);
    const scans = [
      ...new Set(
        plan.flatMap((line) => {
          const m =
            /((?:Index Only |Bitmap Index |Bitmap Heap |Index |Seq )Scan(?: Backward)?)(?: using (\S+))? on (\S+)/.exec(
              line,
            );
          if (m === null) return [];
          return [`${m[1]} ${m[2] ?? m[3]}`];
        }),
      ),
    ];
    const ms = /Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1];
    lines.push(`${i + 1}: ${scans.join(", ") || "no table"} (${ms ?? "?"} ms)`);
  }
  return lines.join("; ");
}
