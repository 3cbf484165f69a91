// Instance metadata, v1 (GET /api/v1/instance, peers, activity, rules, domain blocks) and v2
// (GET /api/v2/instance), with the limits clients read before composing (characters, attachments, image
// sizes).
import { Hono } from "hono";
import type { Audience } from "../../config.ts";
import { instanceStats, knownPeers, weeklyActivity } from "../../db/queries/instance.ts";
import { MAX_FEATURED_TAGS } from "../../domain/featured-tags.ts";
import { listInstanceRules } from "../../domain/instance-rules.ts";
import { domainDigest, listDomainBlocks, publicDomain } from "../../domain/moderation.ts";
import { MAX_PINS } from "../../domain/pins.ts";
import { POLL_LIMITS } from "../../domain/polls.ts";
import { REGISTRATION_MESSAGES, registrationMode, signUpOpen } from "../../domain/registrations.ts";
import { weekStart } from "../../domain/sessions.ts";
import { AppError, notFound } from "../../errors.ts";
import { SOFTWARE_NAME, SOFTWARE_REPOSITORY, SOFTWARE_VERSION } from "../../version.ts";
import { toApiRule } from "../serializers/rule.ts";
import type { ApiDeps, ApiEnv } from "../types.ts";

/** The Mastodon API level we speak; clients (masto.js, Ivory) gate features on this version. */
export const MASTODON_COMPAT_VERSION = "4.3.0";
const version = () =>
  `${MASTODON_COMPAT_VERSION} (compatible; ${SOFTWARE_NAME} ${SOFTWARE_VERSION})`;
const DESCRIPTION =
  "A federated social server for AI-generated images: write a prompt, share the picture.";

function configuration(deps: ApiDeps) {
  return {
    urls: { streaming: deps.config.origin.replace(/^http/, "ws") },
    vapid: { public_key: "" },
    // The limits domain/pins.ts and domain/featured-tags.ts enforce (Mastodon 4.3's keys).
    accounts: { max_featured_tags: MAX_FEATURED_TAGS, max_pinned_statuses: MAX_PINS },
    // The attachment limit publishStatus enforces (MAX_MEDIA_ATTACHMENTS).
    statuses: {
      max_characters: 500,
      max_media_attachments: deps.config.media.maxAttachments,
      characters_reserved_per_url: 23,
    },
    media_attachments: {
      supported_mime_types: ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"],
      image_size_limit: 16 * 1024 * 1024,
      image_matrix_limit: 33_177_600,
      video_size_limit: 0,
      video_frame_rate_limit: 0,
      video_matrix_limit: 0,
    },
    // The limits domain/polls.ts enforces.
    polls: {
      max_options: POLL_LIMITS.maxOptions,
      max_characters_per_option: POLL_LIMITS.maxCharactersPerOption,
      min_expiration: POLL_LIMITS.minExpiration,
      max_expiration: POLL_LIMITS.maxExpiration,
    },
    translation: { enabled: false },
  };
}

const rules = async (deps: ApiDeps) => (await listInstanceRules(deps.db)).map(toApiRule);

export async function instanceV1(deps: ApiDeps) {
  const stats = await instanceStats(deps.db);
  const mode = await registrationMode(deps.db, deps.config.registrations);
  const config = configuration(deps);
  return {
    uri: deps.config.domain,
    title: deps.config.instanceName,
    short_description: DESCRIPTION,
    description: DESCRIPTION,
    email: "",
    version: version(),
    urls: { streaming_api: config.urls.streaming },
    stats: {
      user_count: stats.userCount,
      status_count: stats.statusCount,
      domain_count: stats.domainCount,
    },
    thumbnail: null,
    languages: ["en"],
    // Mastodon's three booleans: sign-up without an invite, and whether each account waits for approval.
    registrations: signUpOpen(mode),
    approval_required: mode === "approval",
    invites_enabled: mode === "invite",
    configuration: {
      accounts: config.accounts,
      statuses: config.statuses,
      media_attachments: config.media_attachments,
      polls: config.polls,
    },
    contact_account: null,
    rules: await rules(deps),
  };
}

export async function instanceV2(deps: ApiDeps) {
  const stats = await instanceStats(deps.db);
  const mode = await registrationMode(deps.db, deps.config.registrations);
  return {
    domain: deps.config.domain,
    title: deps.config.instanceName,
    version: version(),
    source_url: SOFTWARE_REPOSITORY,
    description: DESCRIPTION,
    usage: { users: { active_month: stats.activeMonth } },
    thumbnail: {
      url: `${deps.config.origin}/headers/original/missing.png`,
      blurhash: null,
      versions: {},
    },
    icon: [],
    languages: ["en"],
    configuration: configuration(deps),
    registrations: {
      enabled: signUpOpen(mode),
      approval_required: mode === "approval",
      // As Mastodon, a message only when sign-up is not open to everyone (its closed-registrations text).
      message: signUpOpen(mode) ? null : `<p>${REGISTRATION_MESSAGES[mode]}</p>`,
      url: null,
    },
    api_versions: { mastodon: 2 },
    contact: { email: "", account: null },
    rules: await rules(deps),
  };
}

const allows = (audience: Audience, signedIn: boolean) =>
  audience === "all" || (audience === "users" && signedIn);

export function instanceRouter(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/", async (c) => c.json(await instanceV1(deps)));
  app.get("/peers", async (c) => c.json(await knownPeers(deps.db)));
  // Mastodon's entity: the week as a Unix time, the counts as strings.
  app.get("/activity", async (c) =>
    c.json(
      (await weeklyActivity(deps.db, weekStart(new Date()))).map((w) => ({
        week: String(Math.floor(w.week.getTime() / 1000)),
        statuses: String(w.statuses),
        logins: String(w.logins),
        registrations: String(w.registrations),
      })),
    ),
  );
  app.get("/rules", async (c) => c.json(await rules(deps)));
  app.get("/extended_description", (c) =>
    c.json({ updated_at: new Date(0).toISOString(), content: `<p>${DESCRIPTION}</p>` }),
  );
  app.get("/domain_blocks", async (c) => {
    const signedIn = c.get("auth") != null;
    const shown = deps.config.domainBlocksShown;
    // As Mastodon: 404 when the list is not published, 401 when it is for signed-in users only.
    if (shown.domains === "disabled") throw notFound();
    if (shown.domains === "users" && !signedIn) {
      throw new AppError("unauthorized", "This method requires an authenticated user");
    }
    const reasons = allows(shown.reasons, signedIn);
    return c.json(
      (await listDomainBlocks(deps.db)).map((b) => ({
        domain: publicDomain(b),
        digest: domainDigest(b),
        // Atelier refuses every activity from a blocked domain and delivers nothing to it: a suspension.
        severity: "suspend",
        ...(reasons ? { comment: b.reason || null } : {}),
      })),
    );
  });
  app.get("/translation_languages", (c) => c.json({}));
  return app;
}
