import assert from "node:assert/strict";
import { allowedMoves, canMove, nextStage, STATUSES } from "./pipeline.ts";

Deno.test("allowedMoves - forward any steps, back one, rejected from anywhere, reopen from rejected", () => {
  assert.deepEqual(allowedMoves("saved"), ["applied", "interviewing", "offer", "rejected"]);
  assert.deepEqual(allowedMoves("applied"), ["saved", "interviewing", "offer", "rejected"]);
  assert.deepEqual(allowedMoves("interviewing"), ["applied", "offer", "rejected"]);
  assert.deepEqual(allowedMoves("offer"), ["interviewing", "rejected"]);
  assert.deepEqual(allowedMoves("rejected"), ["saved", "applied"]);
});

Deno.test("canMove - staying put is always allowed; skipping back is not", () => {
  for (const s of STATUSES) assert.equal(canMove(s, s), true);
  assert.equal(canMove("offer", "applied"), false);
  assert.equal(canMove("rejected", "offer"), false);
});

Deno.test("nextStage - the next stage along the pipeline, never a step back", () => {
  assert.equal(nextStage("saved"), "applied");
  assert.equal(nextStage("applied"), "interviewing");
  assert.equal(nextStage("interviewing"), "offer");
  assert.equal(nextStage("offer"), "interviewing");
  assert.equal(nextStage("rejected"), "saved");
});
