// `invite …` commands: make an invite link (limited in uses and days, if asked) and list them. A link
// lets people sign up while registrations are invite-only, and skips approval.
import { parseArgs } from "node:util";
import { createInvite, inviteLink, inviteUsable, listInvites } from "../domain/invites.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

/** A whole number option, or null when not given. */
function count(value: unknown, name: string, usage: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n)) {
    throw new CliUsageError(`--${name} must be a whole number\nUsage: atelier ${usage}`);
  }
  return n;
}

export const inviteCreate: CliCommand = {
  usage: "invite create [--uses <n>] [--days <n>]",
  summary: "Make an invite link and print it (unlimited uses and no expiry unless limited)",
  async run(args, ctx) {
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({
        args,
        options: { uses: { type: "string" }, days: { type: "string" } },
        strict: true,
      }));
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${this.usage}`);
    }
    const invite = await createInvite(ctx.db, {
      maxUses: count(values.uses, "uses", this.usage),
      days: count(values.days, "days", this.usage),
    });
    ctx.out(inviteLink(ctx.config.origin, invite.code));
    const limits = [
      invite.maxUses === null ? "any number of uses" : `${invite.maxUses} use(s)`,
      invite.expiresAt === null ? "no expiry" : `until ${invite.expiresAt.toISOString()}`,
    ];
    ctx.out(`Invite ${invite.id}: ${limits.join(", ")}.`);
  },
};

export const inviteList: CliCommand = {
  usage: "invite list",
  summary: "List invite links, newest first, with their uses",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const rows = await listInvites(ctx.db);
    if (rows.length === 0) {
      ctx.out("No invites.");
      return;
    }
    for (const i of rows) {
      ctx.out(
        `${inviteLink(ctx.config.origin, i.code)}\t${i.uses}/${i.maxUses ?? "∞"} used\t${
          i.expiresAt?.toISOString() ?? "no expiry"
        }\t${inviteUsable(i) ? "usable" : "spent"}`,
      );
    }
  },
};
