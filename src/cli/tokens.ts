// `token create <username> [--scopes "read write follow"]`: an access token for bots and scripts, printed
// as the last line of output (and never stored in clear).
import { parseArgs } from "node:util";
import { findLocalAccount } from "../domain/accounts.ts";
import { issueAccessToken } from "../domain/oauth.ts";
import { parseScopes } from "../domain/scopes.ts";
import { notFound } from "../errors.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

export const tokenCreate: CliCommand = {
  usage: 'token create <username> [--scopes "read write follow"]',
  summary: "Create an API access token for a local user (printed as the last line)",
  async run(args, ctx) {
    let parsed: { values: { scopes?: string | undefined }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { scopes: { type: "string" } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${this.usage}`);
    }
    const [username, ...rest] = parsed.positionals;
    if (username === undefined || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one username.\nUsage: atelier ${this.usage}`);
    }
    const scopes = parseScopes(parsed.values.scopes, "read write follow");
    const account = await findLocalAccount(ctx.db, username);
    if (account === undefined) throw notFound(`No local user named "${username}"`);
    const token = await issueAccessToken(ctx.db, {
      applicationId: null,
      accountId: account.id,
      scopes,
    });
    ctx.out(`Created a token for @${account.username} with scopes: ${scopes.join(" ")}`);
    ctx.out("Use it as: Authorization: Bearer <token>. It is shown only once:");
    ctx.out(token.accessToken);
  },
};
