import assert from "node:assert/strict";
import { isRoleAddress } from "./role_addresses.ts";

Deno.test("isRoleAddress - flags RFC 2142 and hiring inboxes, any case and with a +tag", () => {
  for (const e of ["info@a.example", "Jobs@a.example", "careers+eu@a.example", "postmaster@a.example"]) {
    assert.equal(isRoleAddress(e), true, e);
  }
});

Deno.test("isRoleAddress - a person's address is not a role", () => {
  for (const e of ["ada.lovelace@a.example", "infosec.lead@a.example", "jobsworth@a.example"]) {
    assert.equal(isRoleAddress(e), false, e);
  }
});
