// The e-mails accounts receive, as plain text and HTML with the instance's name and links. Pure: the
// caller sends them through a Mailer.
import type { MailMessage } from "../mail/mailer.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function htmlBody(
  instanceName: string,
  paragraphs: string[],
  button?: { text: string; href: string },
) {
  const name = escapeHtml(instanceName);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${name}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36em; margin: 2em auto; padding: 0 1em">
<h1 style="font-size: 1.3em">${name}</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
${button ? `<p><a href="${escapeHtml(button.href)}" style="display: inline-block; padding: .6em 1.2em; background: #5b4bdb; color: #fff; border-radius: .4em; text-decoration: none">${escapeHtml(button.text)}</a></p>\n<p style="color: #555; font-size: .9em">Or open this address: ${escapeHtml(button.href)}</p>` : ""}
</body></html>
`;
}

/** "Confirm your e-mail address": the link confirms it, and then the account may post. */
export function confirmationMessage(input: {
  instanceName: string;
  username: string;
  to: string;
  link: string;
}): MailMessage {
  const { instanceName, username, to, link } = input;
  return {
    to,
    subject: `Confirm your e-mail address for ${instanceName}`,
    text: `Welcome to ${instanceName}, @${username}!

To confirm your e-mail address, open this link:
${link}

Until it is confirmed, your account cannot post. If you did not sign up, ignore this e-mail: the account stays unconfirmed.
`,
    html: htmlBody(
      instanceName,
      [
        `Welcome to ${escapeHtml(instanceName)}, <strong>@${escapeHtml(username)}</strong>!`,
        "To confirm your e-mail address, follow the link below. Until it is confirmed, your account cannot post.",
        "If you did not sign up, ignore this e-mail: the account stays unconfirmed.",
      ],
      { text: "Confirm my e-mail address", href: link },
    ),
  };
}

/** To each administrator: a sign-up waits for approval. */
export function pendingSignUpMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  reason: string;
  link: string;
}): MailMessage {
  const { instanceName, to, username, reason, link } = input;
  return {
    to,
    subject: `New sign-up waiting for approval on ${instanceName}: @${username}`,
    text: `@${username} asked for an account on ${instanceName}.

Their reason: ${reason}

Approve or reject it: ${link}
`,
    html: htmlBody(
      instanceName,
      [
        `<strong>@${escapeHtml(username)}</strong> asked for an account.`,
        `Their reason: ${escapeHtml(reason)}`,
      ],
      { text: "Approve or reject", href: link },
    ),
  };
}

/** To the applicant: the sign-up was approved, or rejected. */
export function decisionMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  approved: boolean;
  link: string;
}): MailMessage {
  const { instanceName, to, username, approved, link } = input;
  if (approved) {
    return {
      to,
      subject: `Your account on ${instanceName} is approved`,
      text: `Welcome, @${username}: your sign-up on ${instanceName} is approved. Sign in: ${link}\n`,
      html: htmlBody(
        instanceName,
        [`Welcome, <strong>@${escapeHtml(username)}</strong>: your sign-up is approved.`],
        { text: "Sign in", href: link },
      ),
    };
  }
  return {
    to,
    subject: `Your sign-up on ${instanceName} was not approved`,
    text: `Sorry, @${username}: the administrators of ${instanceName} did not approve your sign-up, and the account was removed.\n`,
    html: htmlBody(instanceName, [
      `Sorry, @${escapeHtml(username)}: the administrators did not approve your sign-up, and the account was removed.`,
    ]),
  };
}

/** "Reset your password": the link sets a new one, once, within the hour. */
export function passwordResetMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  link: string;
  validMinutes: number;
}): MailMessage {
  const { instanceName, to, username, link, validMinutes } = input;
  const ignore = "If you did not ask for this, ignore this e-mail: your password stays as it is.";
  return {
    to,
    subject: `Reset your password on ${instanceName}`,
    text: `Someone (you, we hope) asked to reset the password of @${username} on ${instanceName}.

To choose a new password, open this link within ${validMinutes} minutes:
${link}

It works once. Setting a new password signs you out of every browser and app.
${ignore}
`,
    html: htmlBody(
      instanceName,
      [
        `Someone (you, we hope) asked to reset the password of <strong>@${escapeHtml(username)}</strong>.`,
        `To choose a new password, follow the link below within ${validMinutes} minutes. It works once, and setting a new password signs you out of every browser and app.`,
        ignore,
      ],
      { text: "Choose a new password", href: link },
    ),
  };
}

/** To the new address asked for in settings: the link makes it the account's address. */
export function emailChangeMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  link: string;
}): MailMessage {
  const { instanceName, to, username, link } = input;
  return {
    to,
    subject: `Confirm your new e-mail address for ${instanceName}`,
    text: `@${username} asked to use this address on ${instanceName}.

To confirm it, open this link:
${link}

Until then the account keeps its old address. If you did not ask for this, ignore this e-mail.
`,
    html: htmlBody(
      instanceName,
      [
        `<strong>@${escapeHtml(username)}</strong> asked to use this address.`,
        "To confirm it, follow the link below. Until then the account keeps its old address.",
        "If you did not ask for this, ignore this e-mail.",
      ],
      { text: "Confirm my new address", href: link },
    ),
  };
}

/** To the old address: a change to another one was asked for (so a stolen session is noticed). */
export function emailChangeNoticeMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  newAddress: string;
  link: string;
}): MailMessage {
  const { instanceName, to, username, newAddress, link } = input;
  return {
    to,
    subject: `Your e-mail address on ${instanceName} is being changed`,
    text: `Someone signed in as @${username} on ${instanceName} asked to change its e-mail address to ${newAddress}.

This address stays in effect until the new one is confirmed. If it was not you, change your password now: ${link}
`,
    html: htmlBody(
      instanceName,
      [
        `Someone signed in as <strong>@${escapeHtml(username)}</strong> asked to change its e-mail address to ${escapeHtml(newAddress)}.`,
        "This address stays in effect until the new one is confirmed. If it was not you, change your password now.",
      ],
      { text: "Security settings", href: link },
    ),
  };
}

const ACTION_SENTENCES: Record<string, string> = {
  none: "The moderators of {instance} sent you a warning.",
  sensitive:
    "The moderators of {instance} marked your account sensitive: your posts with images are shown behind a warning.",
  disable: "The moderators of {instance} disabled sign-in to your account.",
  silence:
    "The moderators of {instance} limited your account: only people who follow you see your posts in public timelines, trends and search.",
  suspend: "The moderators of {instance} suspended your account: it and its posts are hidden.",
};

/** To a user a moderator acted on: what was done and the moderator's note. */
export function warningMessage(input: {
  instanceName: string;
  to: string;
  username: string;
  action: string;
  text: string;
  link: string;
}): MailMessage {
  const { instanceName, to, username, action, text, link } = input;
  const sentence = (ACTION_SENTENCES[action] ?? ACTION_SENTENCES.none!).replace(
    "{instance}",
    instanceName,
  );
  const note = text === "" ? "" : `\n\nTheir note:\n${text}`;
  return {
    to,
    subject: `A moderation decision about @${username} on ${instanceName}`,
    text: `@${username}: ${sentence}${note}\n\n${link}\n`,
    html: htmlBody(
      instanceName,
      [
        `<strong>@${escapeHtml(username)}</strong>: ${escapeHtml(sentence)}`,
        ...(text === "" ? [] : [`Their note: ${escapeHtml(text)}`]),
      ],
      { text: "Open your notifications", href: link },
    ),
  };
}
