// The e-mails accounts receive, as plain text and HTML with the instance's name and links, in the
// recipient's language (their interface-language setting, else English: a mail has no browser to ask).
// Pure: the caller sends them through a Mailer.
import { chooseLocale, type Translator, translatorFor } from "../i18n/index.ts";
import type { MailMessage } from "../mail/mailer.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The language of a mail to a user whose setting is `locale` (null or unknown: English). */
function translatorOf(locale: string | null | undefined): Translator {
  return translatorFor(chooseLocale(locale, undefined));
}

/** Every mail names its recipient's language setting, which may be unset. */
interface Recipient {
  instanceName: string;
  to: string;
  locale?: string | null | undefined;
}

function htmlBody(
  t: Translator,
  instanceName: string,
  paragraphs: string[],
  button?: { text: string; href: string },
) {
  const name = escapeHtml(instanceName);
  return `<!doctype html>
<html lang="${t.locale}"><head><meta charset="utf-8"><title>${name}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36em; margin: 2em auto; padding: 0 1em">
<h1 style="font-size: 1.3em">${name}</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
${button ? `<p><a href="${escapeHtml(button.href)}" style="display: inline-block; padding: .6em 1.2em; background: #5b4bdb; color: #fff; border-radius: .4em; text-decoration: none">${escapeHtml(button.text)}</a></p>\n<p style="color: #555; font-size: .9em">${escapeHtml(t("z_mail.orOpen", { link: button.href }))}</p>` : ""}
</body></html>
`;
}

/** "@name" in bold, for the HTML bodies (escaped; the message around it is escaped by the caller). */
const strongName = (username: string) => `<strong>@${escapeHtml(username)}</strong>`;

/** A message with `{{name}}` (and the rest) escaped for HTML, the name in bold. */
function htmlWithName(
  t: Translator,
  key: Parameters<Translator>[0],
  username: string,
  values = {},
) {
  const MARK = "\u0001name\u0001";
  return escapeHtml(t(key, { ...values, name: MARK })).replace(MARK, strongName(username));
}

/** "Confirm your e-mail address": the link confirms it, and then the account may post. */
export function confirmationMessage(
  input: Recipient & { username: string; link: string },
): MailMessage {
  const { instanceName, username, to, link } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  return {
    to,
    subject: t("z_mail.confirm.subject", { instance }),
    text: `${t("z_mail.confirm.welcome", { instance, name: `@${username}` })}

${t("z_mail.confirm.openLink")}
${link}

${t("z_mail.confirm.untilConfirmed")} ${t("z_mail.confirm.ignore")}
`,
    html: htmlBody(
      t,
      instanceName,
      [
        htmlWithName(t, "z_mail.confirm.welcome", username, { instance }),
        escapeHtml(`${t("z_mail.confirm.followLink")} ${t("z_mail.confirm.untilConfirmed")}`),
        escapeHtml(t("z_mail.confirm.ignore")),
      ],
      { text: t("z_mail.confirm.button"), href: link },
    ),
  };
}

/** To each administrator: a sign-up waits for approval. */
export function pendingSignUpMessage(
  input: Recipient & { username: string; reason: string; link: string },
): MailMessage {
  const { instanceName, to, username, reason, link } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  return {
    to,
    subject: t("z_mail.pending.subject", { instance, name: `@${username}` }),
    text: `${t("z_mail.pending.asked", { instance, name: `@${username}` })}

${t("z_mail.pending.reason", { reason })}

${t("z_mail.pending.decide", { link })}
`,
    html: htmlBody(
      t,
      instanceName,
      [
        htmlWithName(t, "z_mail.pending.askedShort", username),
        escapeHtml(t("z_mail.pending.reason", { reason })),
      ],
      { text: t("z_mail.pending.button"), href: link },
    ),
  };
}

/** To the applicant: the sign-up was approved, or rejected. */
export function decisionMessage(
  input: Recipient & { username: string; approved: boolean; link: string },
): MailMessage {
  const { instanceName, to, username, approved, link } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  if (approved) {
    return {
      to,
      subject: t("z_mail.approved.subject", { instance }),
      text: `${t("z_mail.approved.text", { instance, name: `@${username}`, link })}\n`,
      html: htmlBody(t, instanceName, [htmlWithName(t, "z_mail.approved.html", username)], {
        text: t("z_mail.approved.button"),
        href: link,
      }),
    };
  }
  return {
    to,
    subject: t("z_mail.rejected.subject", { instance }),
    text: `${t("z_mail.rejected.text", { instance, name: `@${username}` })}\n`,
    html: htmlBody(t, instanceName, [htmlWithName(t, "z_mail.rejected.html", username)]),
  };
}

/** "Reset your password": the link sets a new one, once, within the hour. */
export function passwordResetMessage(
  input: Recipient & { username: string; link: string; validMinutes: number },
): MailMessage {
  const { instanceName, to, username, link, validMinutes } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  const ignore = t("z_mail.reset.ignore");
  return {
    to,
    subject: t("z_mail.reset.subject", { instance }),
    text: `${t("z_mail.reset.asked", { instance, name: `@${username}` })}

${t("z_mail.reset.openLink", { count: validMinutes })}
${link}

${t("z_mail.reset.once")}
${ignore}
`,
    html: htmlBody(
      t,
      instanceName,
      [
        htmlWithName(t, "z_mail.reset.askedShort", username),
        escapeHtml(t("z_mail.reset.followLink", { count: validMinutes })),
        escapeHtml(ignore),
      ],
      { text: t("z_mail.reset.button"), href: link },
    ),
  };
}

/** To the new address asked for in settings: the link makes it the account's address. */
export function emailChangeMessage(
  input: Recipient & { username: string; link: string },
): MailMessage {
  const { instanceName, to, username, link } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  return {
    to,
    subject: t("z_mail.emailChange.subject", { instance }),
    text: `${t("z_mail.emailChange.asked", { instance, name: `@${username}` })}

${t("z_mail.emailChange.openLink")}
${link}

${t("z_mail.emailChange.until")} ${t("z_mail.emailChange.ignore")}
`,
    html: htmlBody(
      t,
      instanceName,
      [
        htmlWithName(t, "z_mail.emailChange.askedShort", username),
        escapeHtml(`${t("z_mail.emailChange.followLink")} ${t("z_mail.emailChange.until")}`),
        escapeHtml(t("z_mail.emailChange.ignore")),
      ],
      { text: t("z_mail.emailChange.button"), href: link },
    ),
  };
}

/** To the old address: a change to another one was asked for (so a stolen session is noticed). */
export function emailChangeNoticeMessage(
  input: Recipient & { username: string; newAddress: string; link: string },
): MailMessage {
  const { instanceName, to, username, newAddress, link } = input;
  const t = translatorOf(input.locale);
  const instance = instanceName;
  return {
    to,
    subject: t("z_mail.emailNotice.subject", { instance }),
    text: `${t("z_mail.emailNotice.asked", { instance, name: `@${username}`, address: newAddress })}

${t("z_mail.emailNotice.stays")} ${t("z_mail.emailNotice.notYou", { link })}
`,
    html: htmlBody(
      t,
      instanceName,
      [
        htmlWithName(t, "z_mail.emailNotice.askedShort", username, { address: newAddress }),
        escapeHtml(`${t("z_mail.emailNotice.stays")} ${t("z_mail.emailNotice.notYouShort")}`),
      ],
      { text: t("z_mail.emailNotice.button"), href: link },
    ),
  };
}

const ACTIONS = ["none", "sensitive", "disable", "silence", "suspend"] as const;

/** To a user a moderator acted on: what was done and the moderator's note. */
export function warningMessage(
  input: Recipient & { username: string; action: string; text: string; link: string },
): MailMessage {
  const { instanceName, to, username, action, text, link } = input;
  const t = translatorOf(input.locale);
  const known = ACTIONS.find((a) => a === action) ?? "none";
  const sentence = t(`z_mail.warning.actions.${known}`, { instance: instanceName });
  const note = text === "" ? "" : `\n\n${t("z_mail.warning.noteTitle")}\n${text}`;
  return {
    to,
    subject: t("z_mail.warning.subject", { instance: instanceName, name: `@${username}` }),
    text: `@${username}: ${sentence}${note}\n\n${link}\n`,
    html: htmlBody(
      t,
      instanceName,
      [
        `${strongName(username)}: ${escapeHtml(sentence)}`,
        ...(text === "" ? [] : [escapeHtml(t("z_mail.warning.note", { note: text }))]),
      ],
      { text: t("z_mail.warning.button"), href: link },
    ),
  };
}
