// Administration: dataset exports. Starting one records it and wakes the process that runs work
// (domain/datasets/jobs.ts); the page shows the rows' progress; the finished file is served to
// administrators only.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { Readable } from "node:stream";
import type { Hono, MiddlewareHandler } from "hono";
import { findDatasetExport, listDatasetExports } from "../../db/queries/datasets.ts";
import { parseDatasetSince } from "../../domain/datasets/export.ts";
import { countOpenReports } from "../../domain/reports.ts";
import { AppError, notFound } from "../../errors.ts";
import { translatorOf, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { readForm, signedIn, viewOf } from "../helpers.ts";
import { datasetsPage } from "../pages/admin-datasets.ts";
import { verifyCsrf } from "../security.ts";
import { requireAdmin } from "./admin.ts";

export function adminDatasetRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const { db, config } = deps;

  web.get("/admin/datasets", page, signedIn, async (c) => {
    requireAdmin(c);
    const notice =
      c.req.query("done") === "started"
        ? { kind: "ok" as const, text: translatorOf(c)("z_admin.done.datasets.started") }
        : undefined;
    return c.html(
      datasetsPage(
        viewOf(c, deps),
        await listDatasetExports(db),
        await countOpenReports(db),
        notice,
      ),
    );
  });

  web.post("/admin/datasets", page, signedIn, async (c) => {
    const admin = requireAdmin(c);
    const form = await readForm(c);
    verifyCsrf(c, form.csrf, config.origin);
    const asked = (form.since ?? "").trim();
    let since: Date | undefined;
    try {
      since = asked === "" ? undefined : parseDatasetSince(asked);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(
        datasetsPage(viewOf(c, deps), await listDatasetExports(db), await countOpenReports(db), {
          kind: "error",
          text: error.message,
        }),
        400,
      );
    }
    await deps.datasetExports.request(admin.account.id, since);
    return c.redirect("/admin/datasets?done=started", 303);
  });

  web.get("/admin/datasets/:id/download", page, signedIn, async (c) => {
    requireAdmin(c);
    const id = c.req.param("id");
    const row = /^\d{1,20}$/.test(id) ? await findDatasetExport(db, id) : undefined;
    // Only a file the export wrote under DATA_DIR/datasets is ever served.
    const folder = join(config.dataDir, "datasets") + sep;
    if (row?.state !== "succeeded" || row.path === null || !row.path.startsWith(folder)) {
      throw notFound(translatorOf(c)("z_imports.noSuchExport"));
    }
    const info = await stat(row.path).catch(() => undefined);
    if (info === undefined) throw notFound(translatorOf(c)("z_admin.errors.exportGone"));
    const body = Readable.toWeb(createReadStream(row.path)) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      "Content-Type": "application/x-tar",
      "Content-Length": String(info.size),
      "Content-Disposition": `attachment; filename="dataset-${row.id}.tar"`,
      "Cache-Control": "private, no-store",
    });
  });
}
