// Text and data mining: whose work this server reserves from mining and AI training, and how it says so.
// The one rule is consent: a local user's pages and files are open to mining only when that user allowed
// their prompts and images in datasets (users.ai_data_consent, off by default); everyone else's are
// reserved, remote accounts included (we cannot speak for them). A post its author kept out of datasets
// (statuses.dataset_opt_out) is reserved on its own, its page and its images, whatever the account says.
// Pages that are the instance's own (explore, hashtags, about) follow the administrator's policy. The
// adapters declare the answer as W3C TDMRep does (the tdm-reservation header and meta, /.well-known/tdmrep.json), with `noai, noimageai`
// robots meta beside it, and robots.txt turns away the AI crawlers the administrator lists.
import { and, asc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { sqlTrue } from "../db/dialect.ts";
import {
  accounts,
  instanceSettings,
  mediaAttachments,
  statuses,
  users,
} from "../db/schema/index.ts";
import { badRequest } from "../errors.ts";

/**
 * The user agents of crawlers that gather text and images for AI models (training, or answers built
 * from pages), which robots.txt disallows unless an administrator edits the list. Search engines'
 * ordinary crawlers are not in it: Google-Extended and Applebot-Extended are the tokens those companies
 * read for AI use alone.
 */
export const DEFAULT_AI_CRAWLERS: readonly string[] = [
  "GPTBot",
  "ChatGPT-User",
  "OAI-SearchBot",
  "CCBot",
  "ClaudeBot",
  "Claude-Web",
  "anthropic-ai",
  "Google-Extended",
  "Applebot-Extended",
  "PerplexityBot",
  "Perplexity-User",
  "Bytespider",
  "Amazonbot",
  "meta-externalagent",
  "FacebookBot",
  "cohere-ai",
  "cohere-training-data-crawler",
  "Diffbot",
  "Omgilibot",
  "Omgili",
  "ImagesiftBot",
  "YouBot",
  "AI2Bot",
  "Ai2Bot-Dolma",
  "Timpibot",
  "Webzio-Extended",
  "PetalBot",
  "Kangaroo Bot",
];

const CRAWLERS_SETTING = "ai_crawlers";
const INSTANCE_PAGES_SETTING = "tdm_instance_pages";
/** Enough for every list published so far, with room; a robots.txt stays small. */
const MAX_CRAWLERS = 200;
const MAX_AGENT_LENGTH = 64;
// Product tokens as crawlers announce them (RFC 9309 allows letters, "-" and "_"; real ones carry digits
// and dots too, and one a space). Nothing that could end the line or start another directive.
const AGENT = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

/** What the administrator decided, or the defaults where they did not. */
export interface CrawlerPolicy {
  /** User agents robots.txt disallows everywhere. */
  aiCrawlers: string[];
  /** Whether the list is the administrator's own (false: DEFAULT_AI_CRAWLERS). */
  aiCrawlersEdited: boolean;
  /** Whether pages that belong to no one user (explore, hashtags, about) reserve mining. */
  instancePagesReserved: boolean;
}

/** The policy in force, read from the instance settings (one query). */
export async function crawlerPolicy(db: DatabaseLike): Promise<CrawlerPolicy> {
  const rows = await db
    .select({ name: instanceSettings.name, value: instanceSettings.value })
    .from(instanceSettings)
    .where(inArray(instanceSettings.name, [CRAWLERS_SETTING, INSTANCE_PAGES_SETTING]));
  const stored = new Map(rows.map((r) => [r.name, JSON.parse(r.value) as unknown]));
  const crawlers = stored.get(CRAWLERS_SETTING);
  const edited =
    Array.isArray(crawlers) && crawlers.every((a): a is string => typeof a === "string");
  const pages = stored.get(INSTANCE_PAGES_SETTING);
  return {
    aiCrawlers: edited ? crawlers : [...DEFAULT_AI_CRAWLERS],
    aiCrawlersEdited: edited,
    // Reserved unless the administrator opened them: explore and hashtag pages show everyone's work.
    instancePagesReserved: typeof pages === "boolean" ? pages : true,
  };
}

async function storeSetting(db: DatabaseLike, name: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const updatedAt = new Date();
  await db
    .insert(instanceSettings)
    .values({ name, value: json, updatedAt })
    .onConflictDoUpdate({ target: instanceSettings.name, set: { value: json, updatedAt } });
}

/**
 * Parses an administrator's list of AI crawlers, one user agent a line (blank lines and repeats
 * dropped, case kept), or a 400 naming the line that is not a user agent. "*" is refused: it would turn
 * away every crawler, search engines included, which this list is not for.
 */
export function parseCrawlerList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const agent = raw.trim();
    if (agent === "") continue;
    if (agent.length > MAX_AGENT_LENGTH || !AGENT.test(agent)) {
      throw badRequest(
        `"${agent.slice(0, MAX_AGENT_LENGTH)}" is not a crawler's user agent (letters, digits, spaces, ".", "-" and "_", up to ${MAX_AGENT_LENGTH})`,
      );
    }
    if (seen.has(agent.toLowerCase())) continue;
    seen.add(agent.toLowerCase());
    out.push(agent);
  }
  if (out.length > MAX_CRAWLERS) throw badRequest(`At most ${MAX_CRAWLERS} crawlers`);
  return out;
}

/** Stores the administrator's list of AI crawlers (see parseCrawlerList); an empty list is allowed. */
export async function setAiCrawlers(db: DatabaseLike, text: string): Promise<void> {
  await storeSetting(db, CRAWLERS_SETTING, parseCrawlerList(text));
}

/** Back to DEFAULT_AI_CRAWLERS (and to any change a new version makes to it). */
export async function resetAiCrawlers(db: DatabaseLike): Promise<void> {
  await db.delete(instanceSettings).where(eq(instanceSettings.name, CRAWLERS_SETTING));
}

/** Whether the instance's own pages reserve mining. */
export async function setInstancePagesReserved(db: DatabaseLike, reserved: boolean): Promise<void> {
  await storeSetting(db, INSTANCE_PAGES_SETTING, reserved);
}

/**
 * robots.txt: one group disallowing the whole site to the AI crawlers, then the group for every other
 * crawler, which may read everything (Disallow with no path), as before there was a robots.txt.
 */
export function robotsTxt(policy: CrawlerPolicy): string {
  const lines = [
    "# AI crawlers are asked to stay away: the administrator's list (see /about/data).",
    "# Whose work is reserved from text and data mining: /.well-known/tdmrep.json.",
  ];
  if (policy.aiCrawlers.length > 0) {
    for (const agent of policy.aiCrawlers) lines.push(`User-agent: ${agent}`);
    lines.push("Disallow: /", "");
  }
  lines.push("User-agent: *", "Disallow:", "");
  return lines.join("\n");
}

/**
 * The user row (`users`) allows its work in datasets: consent given and a licence other than "none"
 * (a consent with no licence grants nothing an export could use). The one condition the headers, the
 * TDMRep file, media and the actor's term read.
 */
function consentsToMining(): SQL {
  return sql`(${users.aiDataConsent} = ${sqlTrue()} and ${users.datasetLicense} <> 'none')`;
}

/**
 * Whether this local account allowed its prompts and images in datasets. False for remote accounts and
 * for usernames with no user (the instance actor): only a local user can consent, here.
 */
export async function hasDatasetConsent(db: DatabaseLike, accountId: string): Promise<boolean> {
  const row = (
    await db
      .select({ id: users.accountId })
      .from(users)
      .where(and(eq(users.accountId, accountId), consentsToMining()))
      .limit(1)
  )[0];
  return row !== undefined;
}

/** Whether mining of an account's pages (profile, posts, gallery) is reserved. */
export async function isAccountReserved(
  db: DatabaseLike,
  account: { id: string; domain: string | null },
): Promise<boolean> {
  if (account.domain !== null) return true;
  return !(await hasDatasetConsent(db, account.id));
}

/**
 * Whether mining of a post's page is reserved: its author's pages are (see isAccountReserved), or the
 * author kept this post out of datasets. A consent covers the work its owner did not withhold, no more.
 */
export async function isStatusReserved(
  db: DatabaseLike,
  author: { id: string; domain: string | null },
  status: { datasetOptOut: boolean },
): Promise<boolean> {
  if (status.datasetOptOut) return true;
  return await isAccountReserved(db, author);
}

/**
 * Whether mining of the stored file with this key (as served at /media/<key>) is reserved. Files are
 * content-addressed, so one file may belong to several attachments: it is open only when at least one
 * attachment names it and every one belongs to a local user who consented and to no post kept out of
 * datasets (an attachment not yet on a post follows its owner). A file no attachment names (a custom
 * emoji, a copy whose post is gone) or that a remote account's attachment names is reserved. One query
 * on the key indexes of media_attachments, and the statuses primary key.
 */
export async function isMediaReserved(db: DatabaseLike, key: string): Promise<boolean> {
  const row = (
    await db
      .select({
        attachments: sql<number>`count(*)`.mapWith(Number),
        withheld:
          sql<number>`coalesce(sum(case when ${consentsToMining()} and (${statuses.datasetOptOut} is null or ${statuses.datasetOptOut} <> ${sqlTrue()}) then 0 else 1 end), 0)`.mapWith(
            Number,
          ),
      })
      .from(mediaAttachments)
      .leftJoin(users, eq(users.accountId, mediaAttachments.accountId))
      .leftJoin(statuses, eq(statuses.id, mediaAttachments.statusId))
      .where(
        or(
          eq(mediaAttachments.originalKey, key),
          eq(mediaAttachments.displayKey, key),
          eq(mediaAttachments.thumbnailKey, key),
        ),
      )
  )[0];
  return row === undefined || row.attachments === 0 || row.withheld > 0;
}

/** One rule of /.well-known/tdmrep.json (the TDMRep file on the origin server). */
export interface TdmRule {
  /** A path pattern as robots.txt writes them: a prefix, "*" for anything, "$" for the end. */
  location: string;
  "tdm-reservation": 0 | 1;
}

/**
 * The rules of /.well-known/tdmrep.json. A TDM agent uses the first rule that matches, so the pages of
 * users who consented come first (not reserved), then the reserved places: every other profile and
 * post page (remote accounts' included), the ActivityPub documents (a post's id says nothing of its
 * author) and the media files (content-addressed, so the file cannot name them; each file's own
 * tdm-reservation header says 0 where every owner consented, and a header supersedes the file), and
 * last everything else, by the instance policy.
 */
export async function tdmRules(db: DatabaseLike, policy: CrawlerPolicy): Promise<TdmRule[]> {
  const consenting = await db
    .select({ username: accounts.username })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(and(consentsToMining(), isNull(accounts.suspendedAt), isNull(users.disabledAt)))
    .orderBy(asc(accounts.username));
  const rules: TdmRule[] = [];
  for (const { username } of consenting) {
    // The profile itself, with a query (?tab=posts), and what is under it (posts): "/@ann" alone would
    // also match "/@anna".
    for (const location of [`/@${username}$`, `/@${username}?`, `/@${username}/`]) {
      rules.push({ location, "tdm-reservation": 0 });
    }
  }
  for (const location of ["/@", "/users/", "/statuses/", "/media/"]) {
    rules.push({ location, "tdm-reservation": 1 });
  }
  rules.push({ location: "/", "tdm-reservation": policy.instancePagesReserved ? 1 : 0 });
  return rules;
}
