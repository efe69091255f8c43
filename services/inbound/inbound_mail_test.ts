import assert from "node:assert/strict";
import { headerPairs, reportParts } from "./inbound_mail.ts";
import { classifyInbound } from "@/core/mail/inbound_classify.ts";

const MIME = [
  "From: MAILER-DAEMON@mx.example",
  'Content-Type: multipart/report; report-type=delivery-status; boundary="OUTER"',
  "",
  "--OUTER",
  'Content-Type: multipart/alternative; boundary="INNER"',
  "",
  "--INNER",
  "Content-Type: text/plain",
  "",
  "Delivery failed.",
  "--INNER--",
  "--OUTER",
  "Content-Type: message/delivery-status",
  "",
  "Final-Recipient: rfc822; gone@people.example",
  "Action: failed",
  "Status: 5.1.1",
  "--OUTER",
  "Content-Type: message/rfc822",
  "",
  "Message-ID: <rf.tok.abc@mb.example>",
  "Subject: Hello",
  "--OUTER--",
].join("\r\n");

Deno.test("reportParts - finds the delivery-status and returned-message parts of a nested MIME report", () => {
  const parts = reportParts(MIME);
  assert.deepEqual(parts.map((p) => p.contentType), ["message/delivery-status", "message/rfc822"]);
  const result = classifyInbound({
    headers: [["Content-Type", "multipart/report; report-type=delivery-status; boundary=OUTER"]],
    sender: "",
    subject: "Undelivered Mail Returned to Sender",
    text: "Delivery failed.",
    parts,
  });
  assert.equal(result.kind, "bounce");
  assert.deepEqual(result.bounce, {
    originalMessageId: "<rf.tok.abc@mb.example>",
    recipient: "gone@people.example",
    status: "5.1.1",
  });
});

Deno.test("reportParts and headerPairs - malformed input gives nothing, never throws", () => {
  assert.deepEqual(reportParts("no boundaries at all"), []);
  assert.deepEqual(reportParts('boundary="' + "x".repeat(300)), []);
  assert.deepEqual(headerPairs({ "message-headers": "{not json" }), []);
  assert.deepEqual(headerPairs({ "message-headers": '[["A", 1], "x", ["B"]]' }), [["A", "1"]]);
});
