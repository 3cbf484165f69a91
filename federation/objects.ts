// Object dispatchers: a status at /statuses/:id answers its Note to ActivityStreams requests. Public and
// unlisted statuses are served to anyone; followers-only and direct ones only to signed requests from an
// actor allowed to see them. Other requests fall through to the HTML pages.
import type { Federation, RequestContext } from "@fedify/fedify";
import { Note } from "@fedify/vocab";
import { findAccountByIri } from "../src/domain/remote-accounts.ts";
import { findStatusById } from "../src/domain/remote-statuses.ts";
import type { FederationDeps } from "./context.ts";
import { canSee, loadStatusBundle } from "./loaders.ts";
import { statusToNote } from "./mappers/to-ap.ts";

async function signerAccount(ctx: RequestContext<FederationDeps>) {
  const owner = await ctx.getSignedKeyOwner().catch(() => null);
  if (owner?.id == null) return null;
  return findAccountByIri(ctx.data.db, owner.id.href) ?? null;
}

function localStatus(ctx: RequestContext<FederationDeps>, id: string) {
  const status = findStatusById(ctx.data.db, id);
  // Only our own statuses live here, and a boost is not a Note.
  if (status === undefined || !status.local || status.reblogOfId !== null) return null;
  return status;
}

export function registerObjects(federation: Federation<FederationDeps>): void {
  federation
    .setObjectDispatcher(Note, "/statuses/{id}", (ctx, { id }) => {
      const status = localStatus(ctx, id);
      if (status === null) return null;
      const bundle = loadStatusBundle(ctx.data.db, status);
      if (bundle === null) return null;
      return statusToNote(bundle, ctx.data.urls, ctx.data.config.domain);
    })
    .authorize(async (ctx, { id }) => {
      const status = localStatus(ctx, id);
      if (status === null) return false;
      if (status.visibility === "public" || status.visibility === "unlisted") return true;
      return canSee(ctx.data.db, status, await signerAccount(ctx));
    });
}
