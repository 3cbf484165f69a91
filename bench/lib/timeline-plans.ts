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
  // Through PREPARE and EXECUTE on a connection of the pool, so the plan shown is the one the server
  // keeps for the named statement (our connections' settings: a generic plan), not one made for these
  // values as an EXPLAIN of the bare text would get.
  const client = await pool.connect();
  try {
    for (const [i, statement] of caught.entries()) {
      const name = `atelier_explain_${i}`;
      await client.query(`prepare ${name} as ${statement.text}`);
      const args = statement.values.map(literal).join(", ");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `explain (analyze, costs off, timing off, summary on) execute ${name}${args === "" ? "" : `(${args})`}`,
      );
      await client.query(`deallocate ${name}`);
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
  } finally {
    client.release();
  }
  return lines.join("; ");
}

/** A bound value as an SQL literal (the timeline's values are ids, numbers and plain words). */
function literal(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  return `'${String(value).replaceAll("'", "''")}'`;
}
