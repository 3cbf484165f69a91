// `trends …` commands: an administrator's review of trending hashtags and links (Mastodon's approve and
// reject). `trends tags` and `trends links` list what trends now with each one's review; approve and
// reject decide for good.
import { trendingLinksForReview } from "../db/queries/link-trends.ts";
import { trendingTagsForReview } from "../db/queries/trends.ts";
import { reviewLink, reviewTag } from "../domain/trends/review.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

const review = (trendable: boolean | null) =>
  trendable === null ? "not reviewed" : trendable ? "approved" : "rejected";

export const trendsTags: CliCommand = {
  usage: "trends tags",
  summary: "List the trending hashtags (approved, rejected or not reviewed), best first",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const rows = await trendingTagsForReview(ctx.db);
    if (rows.length === 0) {
      ctx.out("No trending hashtags.");
      return;
    }
    for (const t of rows) {
      ctx.out(
        `#${t.displayName}\t${t.score.toFixed(1)}\t${t.accounts} accounts today\t${review(t.trendable)}`,
      );
    }
  },
};

function oneTag(args: string[], usage: string): string {
  if (args.length !== 1) throw new CliUsageError(`Expected one hashtag.\nUsage: atelier ${usage}`);
  return args[0]!;
}

export const trendsApprove: CliCommand = {
  usage: "trends approve <hashtag>",
  summary: "Let a hashtag trend (needed before it trends when TRENDS_REVIEW is on)",
  async run(args, ctx) {
    const tag = await reviewTag(ctx.db, oneTag(args, this.usage), true);
    ctx.out(`Approved #${tag.displayName}`);
  },
};

export const trendsReject: CliCommand = {
  usage: "trends reject <hashtag>",
  summary: "Keep a hashtag out of the trends",
  async run(args, ctx) {
    const tag = await reviewTag(ctx.db, oneTag(args, this.usage), false);
    ctx.out(`Rejected #${tag.displayName}`);
  },
};

export const trendsLinks: CliCommand = {
  usage: "trends links",
  summary: "List the trending links (approved, rejected or not reviewed), best first",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const rows = await trendingLinksForReview(ctx.db);
    if (rows.length === 0) {
      ctx.out("No trending links.");
      return;
    }
    for (const l of rows) {
      ctx.out(
        `${l.url}\t${l.score.toFixed(1)}\t${l.accounts} accounts today\t${review(l.trendable)}\t${l.title}`,
      );
    }
  },
};

function oneUrl(args: string[], usage: string): string {
  if (args.length !== 1) throw new CliUsageError(`Expected one URL.\nUsage: atelier ${usage}`);
  return args[0]!;
}

export const trendsApproveLink: CliCommand = {
  usage: "trends approve-link <url>",
  summary: "Let a link trend (needed before it trends when TRENDS_REVIEW is on)",
  async run(args, ctx) {
    const card = await reviewLink(ctx.db, oneUrl(args, this.usage), true);
    ctx.out(`Approved ${card.url}`);
  },
};

export const trendsRejectLink: CliCommand = {
  usage: "trends reject-link <url>",
  summary: "Keep a link out of the trends",
  async run(args, ctx) {
    const card = await reviewLink(ctx.db, oneUrl(args, this.usage), false);
    ctx.out(`Rejected ${card.url}`);
  },
};
