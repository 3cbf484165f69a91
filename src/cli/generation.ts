// `blocked-term …`, `spending …` and `media prune` commands: the admin-editable prompt policy, the
// instance's record of what image generation has cost (so an administrator paying for an API key stays in
// control), and the clean-up of images nobody posted.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { addBlockedTerm, listBlockedTerms, removeBlockedTerm } from "../generation/moderation.ts";
import { formatUsd, spendingSummary, spentThisMonthMicros } from "../generation/quota.ts";
import { pruneMedia } from "../media/prune.ts";
import { createMediaStore } from "../media/stores.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function parse(args: string[], options: ParseArgsOptionsConfig, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
}

export const blockedTermAdd: CliCommand = {
  usage: "blocked-term add <term or phrase> [--reason <text>]",
  summary: "Refuse prompts containing a word or phrase (case-insensitive, whole words)",
  async run(args, ctx) {
    const { values, positionals } = parse(args, { reason: { type: "string" } }, this.usage);
    const term = positionals.join(" ");
    if (term.trim() === "")
      throw new CliUsageError(`Expected a term.\nUsage: atelier ${this.usage}`);
    const added = await addBlockedTerm(
      ctx.db,
      term,
      typeof values.reason === "string" ? values.reason : "",
    );
    ctx.out(`Blocked "${added.term}"${added.reason ? ` (${added.reason})` : ""}.`);
  },
};

export const blockedTermRemove: CliCommand = {
  usage: "blocked-term remove <term or phrase>",
  summary: "Allow a blocked term again",
  async run(args, ctx) {
    const { positionals } = parse(args, {}, this.usage);
    const term = positionals.join(" ");
    if (term.trim() === "")
      throw new CliUsageError(`Expected a term.\nUsage: atelier ${this.usage}`);
    await removeBlockedTerm(ctx.db, term);
    ctx.out(`"${term.trim().toLowerCase()}" is allowed again.`);
  },
};

export const blockedTermList: CliCommand = {
  usage: "blocked-term list",
  summary: "List the terms prompts may not contain",
  async run(args, ctx) {
    const { positionals } = parse(args, {}, this.usage);
    if (positionals.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const terms = await listBlockedTerms(ctx.db);
    if (terms.length === 0) {
      ctx.out("No blocked terms.");
      return;
    }
    const width = Math.max(4, ...terms.map((t) => t.term.length));
    ctx.out(`${"TERM".padEnd(width)}  REASON`);
    for (const t of terms) ctx.out(`${t.term.padEnd(width)}  ${t.reason}`);
  },
};

export const spendingReport: CliCommand = {
  usage: "spending report [--since YYYY-MM-DD]",
  summary: "Show what image generation has cost, by month and model, and this month's budget",
  async run(args, ctx) {
    const { values, positionals } = parse(args, { since: { type: "string" } }, this.usage);
    if (positionals.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    let since: Date | undefined;
    if (typeof values.since === "string") {
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(values.since) ||
        Number.isNaN(Date.parse(`${values.since}T00:00:00Z`))
      ) {
        throw new CliUsageError(
          `--since must be a date like 2026-11-01.\nUsage: atelier ${this.usage}`,
        );
      }
      since = new Date(`${values.since}T00:00:00Z`);
    }
    const rows = await spendingSummary(ctx.db, since);
    const budget = ctx.config.generation.monthlyBudgetUsd;
    const spent = await spentThisMonthMicros(ctx.db);
    ctx.out(
      `This month: ${formatUsd(spent)}${budget === undefined ? " (no monthly budget set)" : ` of a ${formatUsd(budget * 1_000_000)} budget`}`,
    );
    if (rows.length === 0) {
      ctx.out("No images generated yet.");
      return;
    }
    const model = Math.max(5, ...rows.map((r) => `${r.provider}/${r.model}`.length));
    ctx.out(`MONTH    ${"MODEL".padEnd(model)}  IMAGES  COST`);
    for (const r of rows) {
      const unpriced =
        r.unpricedImages > 0 ? `  (${r.unpricedImages} without a price: set IMAGE_PRICES)` : "";
      ctx.out(
        `${r.month}  ${`${r.provider}/${r.model}`.padEnd(model)}  ${String(r.images).padStart(6)}  ${formatUsd(r.costMicros)}${unpriced}`,
      );
    }
  },
};

export const mediaPrune: CliCommand = {
  usage: "media prune [--days <n>]",
  summary:
    "Delete images never posted after n days (default 7), link previews no post shows, and unused files",
  async run(args, ctx) {
    const { values, positionals } = parse(args, { days: { type: "string" } }, this.usage);
    if (positionals.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const days = values.days === undefined ? 7 : Number(values.days);
    if (!Number.isFinite(days) || days < 0) {
      throw new CliUsageError(`--days must be a number of days.\nUsage: atelier ${this.usage}`);
    }
    const store = createMediaStore(ctx.config);
    const result = await pruneMedia(
      ctx.db,
      store,
      new Date(Date.now() - days * 86_400_000),
    ).finally(() => store.close?.());
    ctx.out(
      `Removed ${result.attachments} unposted image(s), ${result.cards} unused link preview(s) and ${result.files} unused file(s).`,
    );
  },
};
