// Mastodon pagination: max_id/since_id/min_id/limit in, a Link header out with rel="next" (older, by
// max_id) and rel="prev" (newer, by min_id), keeping the request's other query parameters.
import type { Context } from "hono";
import type { PageParams } from "../db/queries/page.ts";
import { AppError } from "../errors.ts";

// Ids are equal-length decimal strings compared as text; a shorter id a client sends (since_id=0, an
// older id scheme) is left-padded so it still compares by value.
const ID_DIGITS = 18;
function normalizeId(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,30}$/.test(value)) {
    throw new AppError("unprocessable", `${name} must be a numeric id`);
  }
  return value.length < ID_DIGITS ? value.padStart(ID_DIGITS, "0") : value;
}

/** Reads the page parameters; `limit` defaults to `defaultLimit` and is clamped to 1..maxLimit. */
export function readPage(c: Context, defaultLimit = 20, maxLimit = 40): PageParams {
  const raw = c.req.query("limit");
  let limit = defaultLimit;
  if (raw !== undefined && raw !== "") {
    const n = Number.parseInt(raw, 10);
    if (Number.isNaN(n)) throw new AppError("unprocessable", "limit must be a number");
    limit = Math.min(Math.max(n, 1), maxLimit);
  }
  return {
    maxId: normalizeId("max_id", c.req.query("max_id")),
    sinceId: normalizeId("since_id", c.req.query("since_id")),
    minId: normalizeId("min_id", c.req.query("min_id")),
    limit,
  };
}

/**
 * Sets the Link header for a page whose items were read by `keys` (newest first), as Mastodon does:
 * rel="next" only when the page is full (more may follow), rel="prev" whenever the page has items.
 */
export function setLinkHeader(
  c: Context,
  origin: string,
  keys: readonly string[],
  limit: number,
): void {
  if (keys.length === 0) return;
  const link = (param: "max_id" | "min_id", id: string) => {
    const url = new URL(c.req.path, origin);
    const query = new URL(c.req.url).searchParams;
    for (const [k, v] of query) {
      if (!["max_id", "min_id", "since_id", "access_token"].includes(k)) {
        url.searchParams.append(k, v);
      }
    }
    url.searchParams.set(param, id);
    return url.href;
  };
  const prev = `<${link("min_id", keys[0]!)}>; rel="prev"`;
  c.header(
    "Link",
    keys.length >= limit
      ? `<${link("max_id", keys[keys.length - 1]!)}>; rel="next", ${prev}`
      : prev,
  );
}
