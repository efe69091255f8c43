import assert from "node:assert/strict";
import { VERIFICATION_TTL_DAYS } from "./verification.ts";

Deno.test("VERIFICATION_TTL_DAYS - a result is trusted for ninety days (contract §6)", () => {
  assert.equal(VERIFICATION_TTL_DAYS, 90);
});
