// E-mail over SMTP: an instance with SMTP_URL hands its confirmation e-mail to a real SMTP server
// (the smtp-server package on 127.0.0.1), plain text and HTML, from MAIL_FROM; the link in it
// confirms the account. Without SMTP_URL nothing is sent and an .eml file is written instead
// (test/api/registrations.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import { call } from "../helpers/factories.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";
import { appToken, confirmationToken, mailFiles } from "../helpers/sign-up.ts";
import { type SmtpSink, smtpServer } from "../helpers/smtp.ts";
import { PageClient } from "../helpers/web.ts";

let i: TestInstance | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await i?.close();
  await smtp?.close();
  i = undefined;
  smtp = undefined;
});

describe("e-mail over SMTP", () => {
  it("sends the confirmation e-mail to the SMTP server, and its link confirms the account", async () => {
    smtp = await smtpServer();
    i = await createTestInstance({
      REGISTRATIONS: "open",
      INSTANCE_NAME: "Pixel Garden",
      SMTP_URL: smtp.url,
      MAIL_FROM: "Pixel Garden <hello@pixel.example>",
    });
    const res = await call(i, "POST", "/api/v1/accounts", {
      token: await appToken(i),
      body: {
        username: "gina",
        email: "gina@example.com",
        password: "a long enough password",
        agreement: true,
      },
    });
    expect(res.status).toBe(200);
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe("hello@pixel.example");
    expect(mail!.to).toEqual(["gina@example.com"]);
    expect(mail!.data).toContain("Subject: Confirm your e-mail address for Pixel Garden");
    expect(mail!.data).toContain("Content-Type: text/plain");
    expect(mail!.data).toContain("Content-Type: text/html");
    // Sent, so not written to DATA_DIR/mail.
    expect(mailFiles(i)).toHaveLength(0);

    const token = res.json.access_token as string;
    await new PageClient(i.app).get(`/auth/confirmation?token=${confirmationToken(mail!.data)}`);
    const me = await call(i, "GET", "/api/v1/accounts/verify_credentials", { token });
    expect(me.status).toBe(200);
    expect(me.json.username).toBe("gina");
  });
});
