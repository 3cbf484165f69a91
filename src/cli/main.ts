// The admin CLI (`npm run cli -- …` or the `atelier` bin): finds the command, opens the instance's
// database and maps errors to a message and an exit code (2 usage/config, 1 failure).
import { ConfigError, loadConfig } from "../config.ts";
import { closeStore, openStore } from "../db/dialect.ts";
import { localUrls } from "../domain/local-urls.ts";
import { AppError } from "../errors.ts";
import { MediaStoreError } from "../media/s3-store.ts";
import { announcementAdd, announcementList, announcementRemove } from "./announcements.ts";
import { backup } from "./backup.ts";
import { type CliCommand, type CliContext, CliUsageError } from "./command.ts";
import { datasetExport } from "./datasets.ts";
import {
  domainAllow,
  domainAllows,
  domainBlock,
  domainDisallow,
  domainList,
  domainUnblock,
} from "./domains.ts";
import { emailDomainBlock, emailDomainList, emailDomainUnblock } from "./email-domains.ts";
import { emojiAdd, emojiList, emojiRemove } from "./emojis.ts";
import {
  blockedTermAdd,
  blockedTermList,
  blockedTermRemove,
  mediaPrune,
  spendingReport,
} from "./generation.ts";
import { inviteCreate, inviteList } from "./invites.ts";
import { mediaCopyToS3 } from "./media.ts";
import { migrateToPostgres } from "./migrate-to-postgres.ts";
import { ruleAdd, ruleList, ruleRemove } from "./rules.ts";
import { tokenCreate } from "./tokens.ts";
import {
  trendsApprove,
  trendsApproveLink,
  trendsLinks,
  trendsReject,
  trendsRejectLink,
  trendsTags,
} from "./trends.ts";
import {
  userApprove,
  userCreate,
  userDelete,
  userList,
  userPassword,
  userReject,
  userSuspend,
  userTwoFactorOff,
  userUnsuspend,
} from "./users.ts";

/** Commands by their words; more capabilities add theirs here. */
export const commands: Record<string, CliCommand> = {
  "user create": userCreate,
  "user list": userList,
  "user delete": userDelete,
  "user password": userPassword,
  "user suspend": userSuspend,
  "user two-factor-off": userTwoFactorOff,
  "user unsuspend": userUnsuspend,
  "user approve": userApprove,
  "user reject": userReject,
  "invite create": inviteCreate,
  "invite list": inviteList,
  "blocked-term add": blockedTermAdd,
  "blocked-term remove": blockedTermRemove,
  "blocked-term list": blockedTermList,
  "spending report": spendingReport,
  "media prune": mediaPrune,
  "media copy-to-s3": mediaCopyToS3,
  "token create": tokenCreate,
  "domain block": domainBlock,
  "domain unblock": domainUnblock,
  "domain list": domainList,
  "domain allow": domainAllow,
  "domain disallow": domainDisallow,
  "domain allows": domainAllows,
  "email-domain block": emailDomainBlock,
  "email-domain unblock": emailDomainUnblock,
  "email-domain list": emailDomainList,
  "announcement add": announcementAdd,
  "announcement list": announcementList,
  "announcement remove": announcementRemove,
  "trends tags": trendsTags,
  "trends approve": trendsApprove,
  "trends reject": trendsReject,
  "trends links": trendsLinks,
  "trends approve-link": trendsApproveLink,
  "trends reject-link": trendsRejectLink,
  "rule add": ruleAdd,
  "rule list": ruleList,
  "rule remove": ruleRemove,
  "emoji add": emojiAdd,
  "emoji list": emojiList,
  "emoji remove": emojiRemove,
  "dataset export": datasetExport,
  backup,
  "migrate-to-postgres": migrateToPostgres,
};

function help(): string {
  const lines = Object.values(commands).map((c) => `  atelier ${c.usage}\n      ${c.summary}`);
  return `Usage:\n${lines.join("\n")}`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(
  argv: string[],
  io: { out?: (line: string) => void; err?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    (argv.length === 0 ? err : out)(help());
    return argv.length === 0 ? 2 : 0;
  }
  // Two words ("user create"), or one ("backup") followed by its arguments.
  const twoWords = commands[`${argv[0]} ${argv[1] ?? ""}`.trim()];
  const command = twoWords ?? commands[argv[0]!];
  const argsFrom = twoWords !== undefined ? 2 : 1;
  if (command === undefined) {
    err(`Unknown command: ${argv.slice(0, 2).join(" ")}\n\n${help()}`);
    return 2;
  }
  let ctx: CliContext | undefined;
  try {
    const config = loadConfig(io.env ? { env: io.env } : {});
    const db = await openStore(config);
    ctx = { config, db, urls: localUrls(config.origin, config.media.publicUrl), out, err };
    await command.run(argv.slice(argsFrom), ctx);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CliUsageError) {
      err(error.message);
      return 2;
    }
    // A store that refused or did not answer is a failure worth its message, not a stack trace.
    if (error instanceof AppError || error instanceof MediaStoreError) {
      err(`Error: ${error.message}`);
      return 1;
    }
    err(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  } finally {
    if (ctx !== undefined) await closeStore(ctx.db);
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
