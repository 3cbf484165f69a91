// Mastodon's Admin::Account, Admin::Report and the blocks, as moderators read them through the admin API.
import type { AdminAccountRow } from "../../db/queries/admin-accounts.ts";
import type { DomainAllow } from "../../domain/domain-allows.ts";
import type { EmailDomainBlock, EmailDomainBlockDay } from "../../domain/email-domain-blocks.ts";
import { type DomainBlock, domainDigest } from "../../domain/moderation.ts";
import type { Report } from "../../domain/reports.ts";
import type {
  ApiAccount,
  ApiAdminAccount,
  ApiAdminDomainAllow,
  ApiAdminDomainBlock,
  ApiAdminEmailDomainBlock,
  ApiAdminReport,
  ApiStatus,
} from "../types.ts";
import { roleOf } from "./account.ts";

export function toApiAdminAccount(
  row: AdminAccountRow,
  account: ApiAccount,
  ips: readonly { ip: string; usedAt: Date }[],
): ApiAdminAccount {
  const { user } = row;
  return {
    id: row.account.id,
    username: row.account.username,
    domain: row.account.domain,
    created_at: (user?.createdAt ?? row.account.createdAt).toISOString(),
    email: user?.email ?? null,
    ip: ips[0]?.ip ?? null,
    ips: ips.map((e) => ({ ip: e.ip, used_at: e.usedAt.toISOString() })),
    locale: user?.locale ?? null,
    invite_request: user?.signUpReason ? user.signUpReason : null,
    role: user === null ? null : roleOf(user.admin),
    confirmed: user === null ? false : user.confirmedAt !== null,
    approved: user === null ? true : user.approvedAt !== null,
    disabled: user === null ? false : user.disabledAt !== null,
    silenced: row.account.limitedAt !== null,
    suspended: row.account.suspendedAt !== null,
    sensitized: row.account.sensitizedAt !== null,
    account,
  };
}

export function toApiAdminReport(
  report: Report,
  accounts: ReadonlyMap<string, ApiAdminAccount>,
  statuses: ApiStatus[],
): ApiAdminReport {
  const of = (id: string | null) => (id === null ? null : (accounts.get(id) ?? null));
  return {
    id: report.id,
    action_taken: report.resolvedAt !== null,
    action_taken_at: report.resolvedAt?.toISOString() ?? null,
    category: report.category,
    comment: report.comment,
    forwarded: report.forwarded,
    created_at: report.createdAt.toISOString(),
    updated_at: (report.updatedAt ?? report.resolvedAt ?? report.createdAt).toISOString(),
    account: of(report.accountId)!,
    target_account: of(report.targetAccountId)!,
    assigned_account: of(report.assignedAccountId),
    action_taken_by_account: of(report.resolvedByAccountId),
    statuses,
    // The rules a reporter picked are not kept (see api/v1/reports.ts).
    rules: [],
  };
}

/** A domain block as moderators see it: the real domain and the private comment, never obfuscated. */
export function toApiAdminDomainAllow(allow: DomainAllow): ApiAdminDomainAllow {
  return { id: allow.id, domain: allow.domain, created_at: allow.createdAt.toISOString() };
}

export function toApiAdminDomainBlock(block: DomainBlock): ApiAdminDomainBlock {
  return {
    id: block.blockId,
    domain: block.domain,
    digest: domainDigest(block),
    created_at: block.createdAt.toISOString(),
    // A block here refuses everything from the server, so media and reports are rejected too.
    severity: "suspend",
    reject_media: true,
    reject_reports: true,
    private_comment: block.privateComment,
    public_comment: block.reason === "" ? null : block.reason,
    obfuscate: block.obfuscate,
  };
}

export function toApiAdminEmailDomainBlock(
  block: EmailDomainBlock,
  history: readonly EmailDomainBlockDay[],
): ApiAdminEmailDomainBlock {
  return {
    id: block.blockId,
    domain: block.domain,
    created_at: block.createdAt.toISOString(),
    history: [...history],
  };
}
