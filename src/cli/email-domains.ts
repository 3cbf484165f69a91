// `email-domain …` commands: the e-mail domains sign-up refuses (domain/email-domain-blocks.ts).
import {
  blockEmailDomain,
  listEmailDomainBlocks,
  unblockEmailDomain,
} from "../domain/email-domain-blocks.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

function oneDomain(args: string[], usage: string): string {
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    throw new CliUsageError(`Expected exactly one e-mail domain.\nUsage: atelier ${usage}`);
  }
  return args[0]!;
}

export const emailDomainBlock: CliCommand = {
  usage: "email-domain block <domain>",
  summary: "Refuse sign-ups with addresses at a domain (and its subdomains)",
  async run(args, ctx) {
    const result = await blockEmailDomain(ctx.db, oneDomain(args, this.usage));
    ctx.out(`${result.created ? "Blocked" : "Already blocked:"} ${result.domain}`);
  },
};

export const emailDomainUnblock: CliCommand = {
  usage: "email-domain unblock <domain>",
  summary: "Allow sign-ups from an e-mail domain again",
  async run(args, ctx) {
    const domain = oneDomain(args, this.usage);
    ctx.out(
      (await unblockEmailDomain(ctx.db, domain))
        ? `Unblocked ${domain}`
        : `${domain} was not blocked`,
    );
  },
};

export const emailDomainList: CliCommand = {
  usage: "email-domain list",
  summary: "List blocked e-mail domains",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const blocks = await listEmailDomainBlocks(ctx.db);
    if (blocks.length === 0) {
      ctx.out("No blocked e-mail domains.");
      return;
    }
    for (const b of blocks) ctx.out(`${b.domain}\t${b.createdAt.toISOString()}`);
  },
};
