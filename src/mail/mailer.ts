// Sending e-mail: over SMTP with nodemailer when SMTP_URL is set; otherwise each message is written to
// DATA_DIR/mail/ as an .eml file (its subject logged), so an instance works, and can be tried, with no
// mail server at all.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "../config.ts";
import { logger } from "../logging.ts";

const log = logger("mail");

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends one message; rejects when the server refused it or could not be reached. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** The mailer the configuration names: SMTP_URL's server, or .eml files in DATA_DIR/mail. */
export function createMailer(config: Pick<Config, "mail" | "dataDir">): Mailer {
  const from = config.mail.from;
  if (config.mail.smtpUrl !== undefined) {
    const transport = nodemailer.createTransport(config.mail.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from, ...message });
        log.info("Sent {subject} to {to}.", { subject: message.subject, to: message.to });
      },
      close: () => transport.close(),
    };
  }
  // nodemailer builds the same RFC 5322 message it would send; only the transport differs.
  const files = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "unix",
  });
  const dir = join(config.dataDir, "mail");
  return {
    async send(message) {
      const info = await files.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true });
      // Time first, so a folder listing is in sending order.
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
      await writeFile(join(dir, name), info.message as Buffer);
      log.info("No SMTP_URL: wrote {subject} to {to} as {file}.", {
        subject: message.subject,
        to: message.to,
        file: join(dir, name),
      });
    },
    close: () => files.close(),
  };
}
