// The Mastodon client API: resolves the caller's token once, then mounts the v1 and v2 routers. Errors
// leave as `{"error": "…"}` with Mastodon's status codes (app.ts maps AppError).

import { Hono } from "hono";
import { authenticate, requireUserInLimitedMode } from "./middleware.ts";
import { rateLimit } from "./rate-limit.ts";
import { streamingRouter } from "./streaming/sse.ts";
import type { ApiDeps, ApiEnv } from "./types.ts";
import { accountActionsRouter, followRequestActionsRouter } from "./v1/account-actions.ts";
import { accountsRouter } from "./v1/accounts.ts";
import { adminRouter, adminV2Router } from "./v1/admin/index.ts";
import { announcementsRouter } from "./v1/announcements.ts";
import { appsRouter } from "./v1/apps.ts";
import { collectionsRouter } from "./v1/collections.ts";
import { conversationsRouter } from "./v1/conversations.ts";
import { customEmojisRouter } from "./v1/custom-emojis.ts";
import { directoryRouter } from "./v1/directory.ts";
import { domainBlocksRouter } from "./v1/domain-blocks.ts";
import { endorsementsRouter } from "./v1/endorsements.ts";
import { accountFeaturedTagsRouter, featuredTagsRouter, statusPinsRouter } from "./v1/featured.ts";
import { filtersV1Router } from "./v1/filters.ts";
import { generationsRouter } from "./v1/generations.ts";
import { instanceRouter, instanceV2 } from "./v1/instance.ts";
import { listsRouter } from "./v1/lists.ts";
import { markersRouter } from "./v1/markers.ts";
import { mediaRouter } from "./v1/media.ts";
import { notificationRequestsRouter } from "./v1/notification-requests.ts";
import { notificationsRouter } from "./v1/notifications.ts";
import { pleromaReactionsRouter } from "./v1/pleroma-reactions.ts";
import { pollsRouter } from "./v1/polls.ts";
import { preferencesRouter } from "./v1/preferences.ts";
import { registrationsRouter } from "./v1/registrations.ts";
import { reportsRouter } from "./v1/reports.ts";
import { scheduledStatusesRouter } from "./v1/scheduled-statuses.ts";
import { statusActionsRouter } from "./v1/status-actions.ts";
import { statusQuotesRouter } from "./v1/status-quotes.ts";
import { statusWritesRouter } from "./v1/status-writes.ts";
import { statusesRouter } from "./v1/statuses.ts";
import { suggestionsRouter, suggestionsV2Router } from "./v1/suggestions.ts";
import { tagsRouter } from "./v1/tags.ts";
import { timelinesRouter } from "./v1/timelines.ts";
import { trendsRouter } from "./v1/trends.ts";
import { filtersV2Router } from "./v2/filters.ts";
import { notificationsV2Router } from "./v2/notifications.ts";
import { searchRouter } from "./v2/search.ts";

export { defaultImagesRouter } from "./default-images.ts";
export { oauthMetadata, oauthRouter } from "./oauth/index.ts";
export { apiRateLimiter } from "./rate-limit.ts";
export { StreamingHub } from "./streaming/hub.ts";
export { attachWebSocketStreaming } from "./streaming/websocket.ts";

export function apiRouter(deps: ApiDeps): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  // CORS (browser clients such as Elk and Phanpy) is answered in front of every route: http/cors.ts.
  api.use(authenticate(deps));
  api.use(requireUserInLimitedMode(deps));
  api.use(rateLimit(deps.rateLimiter, deps.config.trustedProxies));

  const v1 = new Hono<ApiEnv>();
  v1.route("/apps", appsRouter(deps));
  v1.route("/admin", adminRouter(deps));
  v1.route("/instance", instanceRouter(deps));
  v1.route("/accounts", registrationsRouter(deps));
  v1.route("/accounts", accountsRouter(deps));
  v1.route("/accounts", accountActionsRouter(deps));
  v1.route("/accounts", accountFeaturedTagsRouter(deps));
  v1.route("/statuses", statusesRouter(deps));
  v1.route("/statuses", statusWritesRouter(deps));
  v1.route("/statuses", statusQuotesRouter(deps));
  v1.route("/statuses", statusActionsRouter(deps));
  v1.route("/statuses", statusPinsRouter(deps));
  v1.route("/pleroma/statuses", pleromaReactionsRouter(deps));
  v1.route("/featured_tags", featuredTagsRouter(deps));
  v1.route("/follow_requests", followRequestActionsRouter(deps));
  v1.route("/media", mediaRouter(deps, "v1"));
  v1.route("/atelier/generations", generationsRouter(deps));
  v1.route("/streaming", streamingRouter(deps));
  v1.route("/timelines", timelinesRouter(deps));
  // Requests and the policy first: notificationsRouter's "/:id" would take their paths.
  v1.route("/notifications", notificationRequestsRouter(deps));
  v1.route("/notifications", notificationsRouter(deps));
  v1.route("/markers", markersRouter(deps));
  v1.route("/reports", reportsRouter(deps));
  v1.route("/scheduled_statuses", scheduledStatusesRouter(deps));
  v1.route("/domain_blocks", domainBlocksRouter(deps));
  v1.route("/polls", pollsRouter(deps));
  v1.route("/announcements", announcementsRouter(deps));
  v1.route("/custom_emojis", customEmojisRouter(deps));
  v1.route("/suggestions", suggestionsRouter(deps));
  v1.route("/directory", directoryRouter(deps));
  v1.route("/", endorsementsRouter(deps));
  v1.route("/", preferencesRouter(deps));
  v1.route("/", collectionsRouter(deps));
  v1.route("/", listsRouter(deps));
  v1.route("/", tagsRouter(deps));
  v1.route("/", trendsRouter(deps));
  v1.route("/", conversationsRouter(deps));
  v1.route("/", filtersV1Router(deps));

  const v2 = new Hono<ApiEnv>();
  v2.get("/instance", async (c) => c.json(await instanceV2(deps)));
  v2.route("/search", searchRouter(deps));
  v2.route("/admin", adminV2Router(deps));
  v2.route("/notifications", notificationsV2Router(deps));
  v2.route("/media", mediaRouter(deps, "v2"));
  v2.route("/", filtersV2Router(deps));
  v2.route("/suggestions", suggestionsV2Router(deps));

  api.route("/v1", v1);
  api.route("/v2", v2);
  return api;
}
