// `user …` commands: create, list, change the password of, suspend, unsuspend and delete local users,
// turn their two-factor sign-in off, and approve or reject sign-ups waiting for approval.

import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { deleteLocalAccount } from "../domain/account-deletion.ts";
import {
  createLocalUser,
  findLocalAccount,
  type LocalUserSummary,
  listLocalUsers,
  setUserPassword,
} from "../domain/accounts.ts";
import { COMMAND_LINE } from "../domain/moderation-log.ts";
import { randomPassword } from "../domain/passwords.ts";
import { approveSignUp, rejectSignUp } from "../domain/registrations.ts";
import { suspendLocalAccount, unsuspendLocalAccount } from "../domain/suspensions.ts";
import { removeTwoFactor } from "../domain/two-factor.ts";
import { notFound } from "../errors.ts";
import { createMailer, type Mailer } from "../mail/mailer.ts";
import { createMediaStore } from "../media/stores.ts";
import { type CliCommand, type CliContext, CliUsageError } from "./command.ts";

function parse(args: string[], options: ParseArgsOptionsConfig, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${usage}`);
  }
}

export const userCreate: CliCommand = {
  usage: "user create <username> --password <password> [--admin] [--email <email>]",
  summary: "Create a local user",
  async run(args, ctx) {
    const { values, positionals } = parse(
      args,
      { password: { type: "string" }, admin: { type: "boolean" }, email: { type: "string" } },
      this.usage,
    );
    const [username, ...rest] = positionals;
    if (username === undefined || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one username.\nUsage: atelier ${this.usage}`);
    }
    if (typeof values.password !== "string") {
      throw new CliUsageError(`--password is required.\nUsage: atelier ${this.usage}`);
    }
    const { account, user } = await createLocalUser(ctx.db, ctx.urls, {
      username,
      password: values.password,
      admin: values.admin === true,
      email: typeof values.email === "string" ? values.email : null,
    });
    ctx.out(
      `Created ${user.admin ? "administrator" : "user"} @${account.username}@${ctx.config.domain} (${account.iri})`,
    );
  },
};

/** What a user can do now: suspended first, then what a sign-up still waits for. */
const userState = (u: LocalUserSummary) =>
  u.suspendedAt !== null
    ? "suspended"
    : u.approvedAt === null
      ? "waiting for approval"
      : u.confirmedAt === null
        ? "e-mail not confirmed"
        : "active";

export const userList: CliCommand = {
  usage: "user list",
  summary: "List local users",
  async run(args, ctx) {
    const { positionals } = parse(args, {}, this.usage);
    if (positionals.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const users = await listLocalUsers(ctx.db);
    if (users.length === 0) {
      ctx.out("No local users yet.");
      return;
    }
    const width = Math.max(8, ...users.map((u) => u.username.length));
    ctx.out(`${"USERNAME".padEnd(width)}  ROLE   STATUSES  CREATED                   STATE`);
    for (const u of users) {
      ctx.out(
        `${u.username.padEnd(width)}  ${(u.admin ? "admin" : "user").padEnd(5)}  ${String(u.statusesCount).padStart(8)}  ${u.createdAt.toISOString()}  ${userState(u)}`,
      );
    }
  },
};

export const userPassword: CliCommand = {
  usage: "user password <username> [--password <password>]",
  summary:
    "Set a user's password (a random one is generated and printed if none is given); signs the user out everywhere and revokes its app tokens",
  async run(args, ctx) {
    const { values, positionals } = parse(args, { password: { type: "string" } }, this.usage);
    const [username, ...rest] = positionals;
    if (username === undefined || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one username.\nUsage: atelier ${this.usage}`);
    }
    const generated = typeof values.password !== "string";
    const password = generated ? randomPassword() : (values.password as string);
    await setUserPassword(ctx.db, username, password);
    ctx.out(
      generated ? `New password for ${username}: ${password}` : `Password changed for ${username}.`,
    );
    ctx.out("Every web session of the user ended and every app token was revoked.");
  },
};

export const userDelete: CliCommand = {
  usage: "user delete <username> --yes",
  summary:
    "Delete a local user and everything it posted; the server tells followers' servers on its next run",
  async run(args, ctx) {
    const { values, positionals } = parse(args, { yes: { type: "boolean" } }, this.usage);
    const [username, ...rest] = positionals;
    if (username === undefined || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one username.\nUsage: atelier ${this.usage}`);
    }
    if (values.yes !== true) {
      throw new CliUsageError(
        `This deletes @${username} with all its posts and images and cannot be undone; add --yes to do it.\nUsage: atelier ${this.usage}`,
      );
    }
    const store = createMediaStore(ctx.config);
    const deleted = await deleteLocalAccount(ctx.db, store, username).finally(() =>
      store.close?.(),
    );
    // The event stays recorded in the database; the running server (or its next start) delivers it.
    ctx.out(
      `Deleted @${deleted.username}; Delete(Person) is queued for ${deleted.recipients.length} remote actor(s) and is sent by the server.`,
    );
  },
};

/** The one username a command takes, or a usage error. */
function oneUsername(args: string[], usage: string): string {
  const { positionals } = parse(args, {}, usage);
  const [username, ...rest] = positionals;
  if (username === undefined || rest.length > 0) {
    throw new CliUsageError(`Expected exactly one username.\nUsage: atelier ${usage}`);
  }
  return username;
}

export const userSuspend: CliCommand = {
  usage: "user suspend <username>",
  summary:
    "Suspend a local user: no sign-in, its tokens stop working, it and its posts are hidden (reversible)",
  async run(args, ctx) {
    const account = await suspendLocalAccount(ctx.db, oneUsername(args, this.usage), COMMAND_LINE);
    ctx.out(`Suspended @${account.username}; unsuspend it to bring it and its posts back.`);
  },
};

export const userUnsuspend: CliCommand = {
  usage: "user unsuspend <username>",
  summary: "Lift a suspension: the user can sign in again and its posts are shown again",
  async run(args, ctx) {
    const account = await unsuspendLocalAccount(
      ctx.db,
      oneUsername(args, this.usage),
      COMMAND_LINE,
    );
    ctx.out(`Unsuspended @${account.username}.`);
  },
};

export const userTwoFactorOff: CliCommand = {
  usage: "user two-factor-off <username>",
  summary:
    "Turn off a user's two-factor sign-in (lost authenticator and recovery codes); the password still applies",
  async run(args, ctx) {
    const username = oneUsername(args, this.usage);
    const account = await findLocalAccount(ctx.db, username);
    if (account === undefined) throw notFound(`No local user @${username}`);
    const removed = await removeTwoFactor(ctx.db, account.id);
    ctx.out(
      removed
        ? `Two-factor sign-in is off for @${account.username}; they sign in with the password alone.`
        : `@${account.username} had no two-factor sign-in.`,
    );
  },
};

/** Runs `work` with the instance's mailer (SMTP_URL, or .eml files in DATA_DIR/mail). */
async function withMail(
  ctx: CliContext,
  work: (mail: { mailer: Mailer; instanceName: string; origin: string }) => Promise<void>,
) {
  const mailer = createMailer(ctx.config);
  try {
    await work({ mailer, instanceName: ctx.config.instanceName, origin: ctx.config.origin });
  } finally {
    mailer.close();
  }
}

export const userApprove: CliCommand = {
  usage: "user approve <username>",
  summary:
    "Approve a sign-up waiting for approval (it may act once its e-mail address is confirmed)",
  async run(args, ctx) {
    const username = oneUsername(args, this.usage);
    await withMail(ctx, (mail) => approveSignUp(ctx.db, username, mail));
    ctx.out(`Approved @${username}; they were told by e-mail.`);
  },
};

export const userReject: CliCommand = {
  usage: "user reject <username>",
  summary: "Reject a sign-up waiting for approval: the account is deleted and its name freed",
  async run(args, ctx) {
    const username = oneUsername(args, this.usage);
    await withMail(ctx, (mail) => rejectSignUp(ctx.db, username, mail));
    ctx.out(`Rejected @${username}; the account is deleted and they were told by e-mail.`);
  },
};
