// A real SMTP server (the smtp-server package) on a free loopback port that keeps what it receives, so
// tests see e-mail as a mail server gets it, not as files the instance writes.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpSink {
  received: ReceivedMail[];
  /** For SMTP_URL. */
  url: string;
  /** The first message to `to` whose data matches `pattern`, waiting up to `timeoutMs` for it. */
  waitFor(to: string, pattern: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function smtpServer(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no TLS upgrade, no authentication.
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;
  const find = (to: string, pattern: RegExp) =>
    received.find((m) => m.to.includes(to) && pattern.test(m.data.replace(/=\r?\n/g, "")));
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    async waitFor(to, pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = find(to, pattern);
        if (mail !== undefined) return mail;
        if (Date.now() > deadline) {
          throw new Error(`No e-mail to ${to} matching ${pattern} in ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
