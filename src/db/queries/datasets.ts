// Reads about datasets for the pages: the posts a user kept out of dataset exports (shown on the
// settings page), and the exports an administrator started (the admin page's table).
import { and, count, desc, eq } from "drizzle-orm";
import type { DatabaseLike } from "../client.ts";
import { type DatasetExport, datasetExports, statuses } from "../schema/index.ts";

export interface DatasetOptOut {
  id: string;
  url: string;
  createdAt: Date;
}

/** The account's posts kept out of datasets (newest first, at most `limit`) and how many there are. */
export async function listDatasetOptOuts(
  db: DatabaseLike,
  accountId: string,
  limit = 20,
): Promise<{ total: number; posts: DatasetOptOut[] }> {
  const where = and(eq(statuses.accountId, accountId), eq(statuses.datasetOptOut, true));
  const rows = await db
    .select({
      id: statuses.id,
      url: statuses.url,
      iri: statuses.iri,
      createdAt: statuses.createdAt,
    })
    .from(statuses)
    .where(where)
    .orderBy(desc(statuses.id))
    .limit(limit);
  const total = (await db.select({ n: count() }).from(statuses).where(where))[0]?.n ?? 0;
  return {
    total: Number(total),
    posts: rows.map((r) => ({ id: r.id, url: r.url ?? r.iri, createdAt: r.createdAt })),
  };
}

/** How many exports started from the admin page succeeded, and when the last one finished. */
export async function datasetExportSummary(
  db: DatabaseLike,
): Promise<{ made: number; lastAt: Date | null }> {
  const done = await db
    .select({ finishedAt: datasetExports.finishedAt })
    .from(datasetExports)
    .where(eq(datasetExports.state, "succeeded"))
    .orderBy(desc(datasetExports.id));
  return { made: done.length, lastAt: done[0]?.finishedAt ?? null };
}

/** The latest dataset exports, newest first. */
export async function listDatasetExports(db: DatabaseLike, limit = 20): Promise<DatasetExport[]> {
  return await db.select().from(datasetExports).orderBy(desc(datasetExports.id)).limit(limit);
}

/** One dataset export, or undefined. */
export async function findDatasetExport(
  db: DatabaseLike,
  id: string,
): Promise<DatasetExport | undefined> {
  return (await db.select().from(datasetExports).where(eq(datasetExports.id, id)).limit(1))[0];
}
