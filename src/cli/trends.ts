// `trends …` commands: an administrator's review of trending hashtags (Mastodon's approve and reject).
// `trends tags` lists what trends now with each tag's review; approve and reject decide for good.
import { trendingTagsForReview } from "../db/queries/trends.ts";
import { reviewTag } from "../domain/trends/review.ts";
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
