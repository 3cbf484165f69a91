// Settings → Import and export: the CSV exports (served to the signed-in user only) and the upload of an
// import, which domain/imports checks and stores and the worker applies.
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { formFields } from "../../api/http.ts";
import { IMPORT_TYPES } from "../../domain/imports/csv.ts";
import { EXPORT_KINDS, type ExportKind, exportCsv } from "../../domain/imports/export.ts";
import type { BulkImportType } from "../../domain/imports/jobs.ts";
import { AppError, badRequest, notFound } from "../../errors.ts";
import { translatorOf, type WebContext, type WebEnv } from "../context.ts";
import type { WebRouterDeps } from "../deps.ts";
import { sessionOf, signedIn, viewOf } from "../helpers.ts";
import { type ImportsNotice, importsPage } from "../pages/imports.ts";
import { verifyCsrf } from "../security.ts";

export function importRoutes(
  web: Hono<WebEnv>,
  deps: WebRouterDeps,
  page: MiddlewareHandler<WebEnv>,
): void {
  const render = async (
    c: WebContext,
    notice?: ImportsNotice,
    status: ContentfulStatusCode = 200,
  ) => {
    const accountId = sessionOf(c).account.id;
    const jobs = await deps.imports.importsOf(accountId);
    const rows = [];
    for (const job of jobs) {
      rows.push({ job, failures: await deps.imports.failuresOf(accountId, job.id, 20) });
    }
    return c.html(importsPage(viewOf(c, deps), rows, notice), status);
  };

  web.get("/settings/import", page, signedIn, async (c) =>
    render(
      c,
      c.req.query("done") === "uploaded"
        ? { kind: "ok", text: translatorOf(c)("z_imports.uploaded") }
        : undefined,
    ),
  );

  web.post("/settings/import", page, signedIn, async (c) => {
    const body = await c.req.parseBody();
    const fields = formFields(Object.entries(body));
    verifyCsrf(c, fields.csrf, deps.config.origin);
    try {
      const type = fields.type as BulkImportType;
      if (!IMPORT_TYPES.includes(type)) throw badRequest(translatorOf(c)("z_imports.chooseType"));
      const mode = fields.mode ?? "merge";
      if (mode !== "merge" && mode !== "overwrite")
        throw badRequest(translatorOf(c)("z_imports.badMode"));
      const file = body.file;
      if (!(file instanceof File) || file.size === 0)
        throw badRequest(translatorOf(c)("z_imports.chooseFile"));
      await deps.imports.request(sessionOf(c).account, {
        type,
        overwrite: mode === "overwrite",
        filename: file.name || null,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return await render(c, { kind: "error", text: error.message }, error.status as 400);
    }
    return c.redirect("/settings/import?done=uploaded", 303);
  });

  web.get("/settings/export/:file{[a-z_]+\\.csv}", page, signedIn, async (c) => {
    const kind = c.req.param("file").replace(/\.csv$/, "") as ExportKind;
    if (!EXPORT_KINDS.includes(kind)) throw notFound(translatorOf(c)("z_imports.noSuchExport"));
    const session = sessionOf(c);
    const text = await exportCsv(deps.db, session.account.id, kind, deps.config.domain);
    return c.body(text, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${kind}.csv"`,
      "Cache-Control": "private, no-store",
    });
  });
}
