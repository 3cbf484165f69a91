// `domain …` commands: the domain block list (activities from a blocked host are refused, nothing is
// delivered to it, and follows with its accounts are removed when it is blocked), and the allow list that
// LIMITED_FEDERATION_MODE federates with.
import { parseArgs } from "node:util";
import { allowDomain, disallowDomain, listDomainAllows } from "../domain/domain-allows.ts";
import { blockDomain, listDomainBlocks, unblockDomain } from "../domain/moderation.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function oneHost(args: string[], usage: string, withReason = false) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: withReason ? { reason: { type: "string" } } : {},
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new CliUsageError(`Expected exactly one host.\nUsage: atelier ${usage}`);
  }
  const reason = parsed.values.reason;
  return { host: parsed.positionals[0]!, reason: typeof reason === "string" ? reason : "" };
}

export const domainBlock: CliCommand = {
  usage: "domain block <host[:port]> [--reason <text>]",
  summary: "Block an instance (without a port: every port and subdomain of that host)",
  async run(args, ctx) {
    const { host, reason } = oneHost(args, this.usage, true);
    const result = await blockDomain(ctx.db, host, { publicComment: reason });
    ctx.out(
      `${result.created ? "Blocked" : "Already blocked:"} ${result.domain}` +
        (result.removedFollows > 0 ? ` (removed ${result.removedFollows} follows)` : ""),
    );
  },
};

export const domainUnblock: CliCommand = {
  usage: "domain unblock <host[:port]>",
  summary: "Unblock an instance",
  async run(args, ctx) {
    const { host } = oneHost(args, this.usage);
    ctx.out((await unblockDomain(ctx.db, host)) ? `Unblocked ${host}` : `${host} was not blocked`);
  },
};

export const domainList: CliCommand = {
  usage: "domain list",
  summary: "List blocked instances",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const blocks = await listDomainBlocks(ctx.db);
    if (blocks.length === 0) {
      ctx.out("No blocked domains.");
      return;
    }
    for (const b of blocks) {
      ctx.out(`${b.domain}\t${b.createdAt.toISOString()}${b.reason ? `\t${b.reason}` : ""}`);
    }
  },
};

export const domainAllow: CliCommand = {
  usage: "domain allow <host[:port]>",
  summary: "Allow an instance (with LIMITED_FEDERATION_MODE=true, only allowed ones federate)",
  async run(args, ctx) {
    const { host } = oneHost(args, this.usage);
    const { allow, created } = await allowDomain(ctx.db, host);
    ctx.out(`${created ? "Allowed" : "Already allowed:"} ${allow.domain}${modeNote(ctx.config)}`);
  },
};

export const domainDisallow: CliCommand = {
  usage: "domain disallow <host[:port]>",
  summary: "Remove an instance from the allow list",
  async run(args, ctx) {
    const { host } = oneHost(args, this.usage);
    const removed = await disallowDomain(ctx.db, host, ctx.config);
    if (removed === undefined) {
      ctx.out(`${host} was not allowed`);
      return;
    }
    ctx.out(
      `Disallowed ${removed.allow.domain}` +
        (removed.removedFollows > 0 ? ` (removed ${removed.removedFollows} follows)` : ""),
    );
  },
};

export const domainAllows: CliCommand = {
  usage: "domain allows",
  summary: "List allowed instances",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const allows = await listDomainAllows(ctx.db);
    if (allows.length === 0) ctx.out("No allowed domains.");
    for (const a of allows) ctx.out(`${a.domain}\t${a.createdAt.toISOString()}`);
    if (!ctx.config.limitedFederationMode) ctx.out(modeNote(ctx.config).trim());
  },
};

// The list only matters in limited federation mode: say so, rather than let an admin think it acts.
const modeNote = (config: { limitedFederationMode: boolean }) =>
  config.limitedFederationMode
    ? ""
    : " (LIMITED_FEDERATION_MODE is off: the allow list is not used until it is on)";
