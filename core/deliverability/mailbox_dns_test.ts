import assert from "node:assert/strict";
import { createResolver } from "@/services/deliverability/dns.ts";
import { blocksActivation, checkMailboxDomain } from "./mailbox_dns.ts";
import { startFakeDns, type ZoneRecords } from "@/tests/helpers/dns_server.ts";

const KEY =
  "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1TaNgLlSyQMNWVLNLvyY/neDgaL2oqQE8T5illKqCgDtFHc8eHVAU+nlcaGmrKmDMw9dbgiGk1ocgZ56NR4ycfUHwQhvQPMUZw0cveel/8EAGoi/UyPmqfcPibytH81NFtTMAxUeM4Op8A6iHkvAMj5qLf4YRNsTkKAV";

function goodZone(domain: string): Record<string, ZoneRecords> {
  return {
    [domain]: {
      TXT: ["v=spf1 include:mailgun.org ~all"],
      MX: [{ exchange: "mxa.mailgun.org", priority: 10 }],
    },
    [`smtp._domainkey.${domain}`]: { TXT: [`k=rsa; p=${KEY}`] },
    [`_dmarc.${domain}`]: { TXT: ["v=DMARC1; p=quarantine; rua=mailto:dmarc@" + domain] },
    "mailgun.org": { TXT: ["v=spf1 include:_spf.mailgun.org ~all"] },
    "_spf.mailgun.org": { TXT: ["v=spf1 ip4:198.61.254.0/23 ~all"] },
  };
}

// 11 nested includes: more than the 10 lookups RFC 7208 allows
const chain: Record<string, ZoneRecords> = {};
for (let i = 0; i < 11; i++) {
  chain[`s${i}.spf.example`] = { TXT: [`v=spf1 include:s${i + 1}.spf.example ~all`] };
}

const FIXTURES: Record<string, ZoneRecords> = {
  ...goodZone("good.example"),
  // nested: the domain includes its own provider list, which includes mailgun.org
  ...goodZone("nested.example"),
  "nested.example": {
    TXT: ["v=spf1 include:_spf.nested.example -all"],
    MX: [{ exchange: "mx.nested.example", priority: 5 }],
  },
  "_spf.nested.example": { TXT: ["v=spf1 include:mailgun.org ~all"] },
  ...goodZone("nospf.example"),
  "nospf.example": {
    MX: [{ exchange: "mxa.mailgun.org", priority: 10 }],
    TXT: ["google-site-verification=abc"],
  },
  ...goodZone("otherspf.example"),
  "otherspf.example": {
    TXT: ["v=spf1 include:_spf.google.com ~all"],
    MX: [{ exchange: "mx.example", priority: 1 }],
  },
  ...goodZone("manylookups.example"),
  "manylookups.example": {
    TXT: ["v=spf1 include:mailgun.org include:s0.spf.example ~all"],
    MX: [{ exchange: "mx.example", priority: 1 }],
  },
  ...chain,
  ...goodZone("nodkim.example"),
  "smtp._domainkey.nodkim.example": { TXT: ["unrelated"] },
  ...goodZone("revoked.example"),
  "smtp._domainkey.revoked.example": { TXT: ["v=DKIM1; k=rsa; p="] },
  ...goodZone("dmarcnone.example"),
  "_dmarc.dmarcnone.example": { TXT: ["v=DMARC1; p=none"] },
  ...goodZone("nodmarc.example"),
  "_dmarc.nodmarc.example": {},
  ...goodZone("nomx.example"),
  "nomx.example": { TXT: ["v=spf1 include:mailgun.org ~all"] },
};

const d = (domain: string, spfInclude: string | null = "mailgun.org") => ({
  domain,
  dkimSelector: "smtp",
  spfInclude,
});

Deno.test("checkMailboxDomain - a good domain passes everything, with the records found", async () => {
  const dns = await startFakeDns(FIXTURES);
  try {
    const r = createResolver({ nameServer: dns.address, timeoutMs: 500 });
    const got = await checkMailboxDomain(d("good.example"), r);
    assert.deepEqual(
      Object.values(got).map((c) => c.status),
      ["pass", "pass", "pass", "pass"],
    );
    assert.equal(got.spf.found, "v=spf1 include:mailgun.org ~all");
    assert.equal(got.dkim.found, `k=rsa; p=${KEY}`);
    assert.equal(got.mx.found, "10 mxa.mailgun.org");
    assert.deepEqual(blocksActivation(got), []);
    const nested = await checkMailboxDomain(d("nested.example"), r);
    assert.equal(nested.spf.status, "pass", "the provider reached through a nested include counts");
  } finally {
    await dns.close();
  }
});

const FAILING: [
  string,
  ReturnType<typeof d>,
  keyof Awaited<ReturnType<typeof checkMailboxDomain>>,
  string,
][] = [
  ["no SPF", d("nospf.example"), "spf", "fail"],
  ["SPF without the provider", d("otherspf.example"), "spf", "fail"],
  ["too many SPF lookups", d("manylookups.example"), "spf", "fail"],
  ["no DKIM key", d("nodkim.example"), "dkim", "fail"],
  ["a revoked DKIM key", d("revoked.example"), "dkim", "fail"],
  ["DMARC p=none", d("dmarcnone.example"), "dmarc", "warn"],
  ["no DMARC", d("nodmarc.example"), "dmarc", "fail"],
  ["no MX", d("nomx.example"), "mx", "warn"],
  ["a timeout", d("silent.example"), "spf", "fail"],
];

Deno.test("checkMailboxDomain - each failing domain fails (or warns) on its own check only", async () => {
  const dns = await startFakeDns(FIXTURES, { silent: ["silent.example"] });
  try {
    const r = createResolver({ nameServer: dns.address, timeoutMs: 300 });
    for (const [what, domain, key, status] of FAILING) {
      const got = await checkMailboxDomain(domain, r);
      assert.equal(got[key].status, status, what);
      assert.ok(got[key].expected, `${what}: says what is expected`);
      if (what !== "a timeout") {
        const others = (Object.keys(got) as (keyof typeof got)[]).filter((k) => k !== key);
        for (const k of others) assert.equal(got[k].status, "pass", `${what}: ${k}`);
      }
      assert.equal(blocksActivation(got).length > 0, status === "fail", what);
    }
    const many = await checkMailboxDomain(d("manylookups.example"), r);
    assert.match(many.spf.found!, /\(1[0-9] DNS lookups\)/);
    assert.match(many.spf.expected!, /at most 10/);
  } finally {
    await dns.close();
  }
});

Deno.test("checkMailboxDomain - with the SMTP transport and no spf_include, any SPF record passes", async () => {
  const dns = await startFakeDns(FIXTURES);
  try {
    const r = createResolver({ nameServer: dns.address, timeoutMs: 500 });
    assert.equal((await checkMailboxDomain(d("otherspf.example", null), r)).spf.status, "pass");
    assert.equal((await checkMailboxDomain(d("otherspf.example", "_spf.google.com"), r)).spf.status, "pass");
  } finally {
    await dns.close();
  }
});
