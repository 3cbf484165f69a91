// `announcement …` commands: publish, list and remove the notices every local user sees (the API's
// /api/v1/announcements, the home page). A running server streams the change within its event poll.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { allAnnouncements, isCurrent } from "../db/queries/announcements.ts";
import { createAnnouncement, removeAnnouncement } from "../domain/announcements.ts";
import { notFound } from "../errors.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function parse(args: string[], usage: string, options: ParseArgsOptionsConfig) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
}

/** An ISO 8601 date or date-time ("2026-12-24", "2026-12-24T18:00:00Z"). */
function dateOption(value: unknown, name: string, usage: string): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliUsageError(
      `--${name} must be a date such as 2026-12-24 or 2026-12-24T18:00:00Z\nUsage: atelier ${usage}`,
    );
  }
  return date;
}

export const announcementAdd: CliCommand = {
  usage: "announcement add <text> [--starts-at <date>] [--ends-at <date>] [--all-day]",
  summary: "Publish an announcement to every local user (shown until --ends-at, if given)",
  async run(args, ctx) {
    const parsed = parse(args, this.usage, {
      "starts-at": { type: "string" },
      "ends-at": { type: "string" },
      "all-day": { type: "boolean" },
    });
    if (parsed.positionals.length !== 1) {
      throw new CliUsageError(
        `Expected the text as one argument (quote it).\nUsage: atelier ${this.usage}`,
      );
    }
    const row = await createAnnouncement(ctx.db, {
      text: parsed.positionals[0]!,
      startsAt: dateOption(parsed.values["starts-at"], "starts-at", this.usage),
      endsAt: dateOption(parsed.values["ends-at"], "ends-at", this.usage),
      allDay: parsed.values["all-day"] === true,
    });
    ctx.out(`Published announcement ${row.id}`);
  },
};

export const announcementList: CliCommand = {
  usage: "announcement list",
  summary: "List announcements, newest first",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const rows = await allAnnouncements(ctx.db);
    if (rows.length === 0) {
      ctx.out("No announcements.");
      return;
    }
    for (const a of rows) {
      const period = [a.startsAt, a.endsAt].map((d) => d?.toISOString() ?? "-").join(" → ");
      const state = isCurrent(a) ? "current" : "ended";
      ctx.out(
        `${a.id}\t${state}\t${period}${a.allDay ? " (all day)" : ""}\t${a.text.replace(/\s+/g, " ")}`,
      );
    }
  },
};

export const announcementRemove: CliCommand = {
  usage: "announcement remove <id>",
  summary: "Remove an announcement",
  async run(args, ctx) {
    const parsed = parse(args, this.usage, {});
    if (parsed.positionals.length !== 1) {
      throw new CliUsageError(`Expected exactly one id.\nUsage: atelier ${this.usage}`);
    }
    const id = parsed.positionals[0]!;
    if (!(await removeAnnouncement(ctx.db, id))) throw notFound(`There is no announcement ${id}`);
    ctx.out(`Removed announcement ${id}`);
  },
};
