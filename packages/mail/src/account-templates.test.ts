import { describe, expect, it } from "bun:test";
import type { AccountDueMail, AccountMessage } from "@boxoffice/db";
import { renderMail } from "./templates.ts";

const at = Date.UTC(2026, 5, 1, 12, 0);

function due(message: AccountMessage): AccountDueMail {
  return {
    id: 1,
    account: true,
    message,
    attempts: 0,
    createdAt: at,
    recipient: { email: "ann@example.test", name: "Ann <Lee>" },
  };
}

describe("account mails", () => {
  it("mails the reset link with how long it works and what to do if it was not you", () => {
    const link = "https://tickets.example.org/reset-password/abcdefghijkmnpqrstuvwxyz23456789";
    const mail = renderMail(due({ kind: "password_reset", payload: { link, expiresAt: at } }));
    expect(mail.to).toBe("ann@example.test");
    expect(mail.subject).toBe("Reset your Boxoffice password");
    expect(mail.text).toContain(`\n\n${link}\n\n`);
    expect(mail.text).toContain("works once, for an hour");
    expect(mail.text).toContain("If you did not ask for this");
    expect(mail.html).toContain(`<p>${link}</p>`);
    expect(mail.html).toContain("Hello Ann &#60;Lee&#62;,");
  });

  it("mails the verification link naming the address it verifies", () => {
    const link = "https://tickets.example.org/verify-email/abcdefghijkmnpqrstuvwxyz23456789";
    const mail = renderMail(
      due({
        kind: "email_verification",
        payload: { link, expiresAt: at, email: "ann@example.test" },
      }),
    );
    expect(mail.subject).toBe("Confirm your email address for Boxoffice");
    expect(mail.text).toContain("ann@example.test is your address");
    expect(mail.text).toContain(link);
  });
});
