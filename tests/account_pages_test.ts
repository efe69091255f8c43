/**
 * The account pages (issue 14) without JavaScript: /forgot-password, /reset-password/:token, /verify/:token and
 * /account, through real HTTP forms; mail read back from the outbox.
 */
import assert from "node:assert/strict";
import { useAppDatabase } from "@/tests/helpers/db.ts";
import { startTestServer } from "@/tests/helpers/server.ts";
import { createUserWithToken } from "@/tests/helpers/users.ts";
import { settleSystemMail } from "@/services/mail/system_mail.ts";

const db = await useAppDatabase("account_pages");
const server = await startTestServer();

async function page(path: string, cookie?: string) {
  const res = await fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

async function postForm(path: string, fields: Record<string, string>, cookie?: string) {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";

async function linkIn(to: string, kind: string, path: string): Promise<string> {
  await settleSystemMail(server.app);
  const [row] = await db.sql`select body from outbox_messages
    where to_email = ${to} and headers->>'X-RoleFerry-System' = ${kind} order by id desc limit 1`;
  const match = new RegExp(`/${path}/([A-Za-z0-9_-]{43})`).exec(row?.body ?? "");
  assert.ok(match, `a ${kind} link to ${to}`);
  return match[1];
}

Deno.test("[e2e] /forgot-password then /reset-password/:token - the same page for any address; the link sets the password", async () => {
  const u = await createUserWithToken(server.url);
  const login = await page("/login");
  assert.match(login.html, /href="\/forgot-password"/);
  const known = await postForm("/forgot-password", { email: u.user.email });
  const unknown = await postForm("/forgot-password", { email: "nobody.at.all@example.test" });
  assert.equal(known.status, 202);
  assert.equal(unknown.status, 202);
  assert.equal(
    known.html.replaceAll(u.user.email, "X"),
    unknown.html.replaceAll("nobody.at.all@example.test", "X"),
    "the answer does not tell whether the address has an account",
  );
  const token = await linkIn(u.user.email, "password_reset", "reset-password");
  const form = await page(`/reset-password/${token}`);
  assert.equal(form.status, 200);
  assert.equal(form.headers.get("referrer-policy"), "same-origin"); // the token never leaves in a Referer
  const differ = await postForm(`/reset-password/${token}`, {
    password: "new-password-123",
    password_again: "nope",
  });
  assert.equal(differ.status, 422);
  const done = await postForm(`/reset-password/${token}`, {
    password: "new-password-123",
    password_again: "new-password-123",
  });
  assert.equal(done.status, 200);
  assert.match(done.html, /Password changed/);
  const again = await postForm(`/reset-password/${token}`, {
    password: "new-password-456",
    password_again: "new-password-456",
  });
  assert.equal(again.status, 400);
  const signIn = await postForm("/login", { email: u.user.email, password: "new-password-123" });
  assert.equal(signIn.status, 303);
});

Deno.test("[e2e] /verify/:token - GET only shows the button (link scanners use nothing up); POST confirms", async () => {
  const u = await createUserWithToken(server.url, { verified: false });
  const token = await linkIn(u.user.email, "verify_email", "verify");
  const shown = await page(`/verify/${token}`);
  assert.equal(shown.status, 200);
  assert.match(shown.html, /Confirm my address/);
  const [before] = await db.sql`select email_verified from users where id = ${u.user.id}`;
  assert.equal(before.email_verified, false);
  const done = await postForm(`/verify/${token}`, {});
  assert.equal(done.status, 200);
  assert.match(done.html, /your address is confirmed/);
  const [after] = await db.sql`select email_verified from users where id = ${u.user.id}`;
  assert.equal(after.email_verified, true);
});

Deno.test("[e2e] /account - shows email, plan and sessions; changes the password; deletes after typing the email", async () => {
  const u = await createUserWithToken(server.url, { verified: false });
  const signedOut = await page("/account");
  assert.equal(signedOut.status, 303);
  const shown = await page("/account", u.cookie);
  assert.equal(shown.status, 200);
  assert.match(shown.html, /not confirmed/);
  assert.match(shown.html, /Plan: free/);
  assert.match(shown.html, /\(this one\)/);
  const csrf = csrfOf(shown.html);
  const resend = await postForm("/account", { _csrf: csrf, form: "resend" }, u.cookie);
  assert.equal(resend.status, 303);

  const wrong = await postForm("/account", {
    _csrf: csrf,
    form: "password",
    current_password: "wrong-one-entirely",
    new_password: "changed-on-the-page",
  }, u.cookie);
  assert.equal(wrong.status, 403);
  assert.match(wrong.html, /current password is wrong/);
  const changed = await postForm("/account", {
    _csrf: csrf,
    form: "password",
    current_password: u.password,
    new_password: "changed-on-the-page",
  }, u.cookie);
  assert.equal(changed.status, 303);

  const noCsrf = await postForm("/account", { form: "delete", confirm_email: u.user.email }, u.cookie);
  assert.equal(noCsrf.status, 403);
  const mismatch = await postForm(
    "/account",
    { _csrf: csrf, form: "delete", confirm_email: "x@y.test" },
    u.cookie,
  );
  assert.equal(mismatch.status, 422);
  const deleted = await postForm(
    "/account",
    { _csrf: csrf, form: "delete", confirm_email: u.user.email },
    u.cookie,
  );
  assert.equal(deleted.status, 303);
  assert.equal((await db.sql`select 1 from users where id = ${u.user.id}`).length, 0);
});
