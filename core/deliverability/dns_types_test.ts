import assert from "node:assert/strict";
import { DnsTimeoutError } from "./dns_types.ts";

Deno.test("DnsTimeoutError - names the query and keeps its cause", () => {
  const cause = new Error("socket timed out");
  const error = new DnsTimeoutError("mx.example", "MX", { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "DnsTimeoutError");
  assert.equal(error.message, "DNS MX mx.example: no answer");
  assert.equal(error.cause, cause);
});
