import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase } from "@/tests/helpers/db.ts";
import { sha256Hex } from "@/core/crypto.ts";
import { benchToken, countsFor, generate, generatedMeta, mailboxEmail, parseArgs } from "./generate.ts";

Deno.test("countsFor - scale 1 is the full data set and small scales keep floors", () => {
  assert.deepEqual(countsFor(1), {
    companies: 100_000,
    jobs: 1_000_000,
    users: 50_000,
    applications: 200_000,
    contacts: 1_000_000,
    mailboxes: 10_000,
    outreach: 10_000_000,
    sessions: 256,
  });
  const small = countsFor(0.0001);
  assert.equal(small.users, 20);
  assert.equal(small.outreach, 1_000);
  assert.equal(small.sessions, 20);
});

Deno.test("parseArgs - reads --scale and --seed, refuses nonsense", () => {
  assert.deepEqual(parseArgs(["--scale", "0.01", "--seed=7"]), { scale: 0.01, seed: 7, url: undefined });
  assert.throws(() => parseArgs(["--scale", "zero"]), /--scale/);
  assert.throws(() => parseArgs(["--seed", "1.5"]), /--seed/);
});

Deno.test("generate - the same seed gives the same rows; sessions and mailboxes match their helpers", async () => {
  const one = await createTestDatabase("gen_one");
  const two = await createTestDatabase("gen_two");
  const a = postgres(one.url, { max: 1, onnotice: () => {} });
  const b = postgres(two.url, { max: 1, onnotice: () => {} });
  try {
    const counts = await generate(one.url, { scale: 0.001, seed: 9 });
    await generate(two.url, { scale: 0.001, seed: 9 });
    const fingerprint = async (sql: postgres.Sql, table: string) => {
      const [row] = await sql.unsafe(
        `select count(*)::int as n, md5(string_agg(t::text, '|' order by t.id)) as h
                                      from ${table} t`,
      );
      return row;
    };
    for (const table of ["companies", "jobs", "users", "applications", "contacts", "mailboxes", "outreach"]) {
      const fa = await fingerprint(a, table);
      assert.ok(fa.n > 0, `${table} has rows`);
      assert.deepEqual(await fingerprint(b, table), fa, `${table} is identical in both databases`);
    }
    const [{ n }] = await a`select count(*)::int as n from outreach`;
    assert.equal(n, counts.outreach);
    const [{ hash }] = await a`select token_hash as hash from sessions where user_id = 3`;
    assert.equal(hash, await sha256Hex(await benchToken(3)), "bench token 3 opens user 3's session");
    const [mailbox] = await a`select email from mailboxes where id = 7`;
    assert.equal(mailbox.email, mailboxEmail(7));
    const [{ stray }] = await a`select count(*)::int as stray from outreach_default`.catch(
      () => [{ stray: 0 }],
    );
    assert.equal(stray, 0, "every outreach row found its monthly partition");
    assert.equal((await generatedMeta(a))?.seed, 9);
  } finally {
    await a.end();
    await b.end();
    await one.drop();
    await two.drop();
  }
});
