/**
 * The admin page's answer to "will queued email go out, and when": the
 * pool's state in words (no mailbox, all paused, all at their cap until 00:00
 * UTC), with how many emails are due now.
 */
import type { SendingState } from "@/core/waiting_reason.ts";
import { nextUtcMidnight } from "@/core/waiting_reason.ts";

export default function SendingStatus(
  { summary, due }: { summary: Omit<SendingState, "timezone" | "now">; due: number },
) {
  const waiting = `${due} email${due === 1 ? " is" : "s are"} due now`;
  let text: string;
  let ok = false;
  if (summary.mailboxes === 0) text = `No mailbox: nothing can be sent. ${waiting}. Add a mailbox below.`;
  else if (summary.usable === 0) {
    text = `Every mailbox is paused or unhealthy: nothing can be sent. ${waiting}. Resume one below.`;
  } else if (summary.available === 0) {
    text = `Every mailbox has reached today's cap: sending resumes at ${
      nextUtcMidnight(new Date()).toISOString().slice(0, 16).replace("T", " ")
    } UTC. ${waiting}.`;
  } else {
    ok = true;
    text =
      `${summary.available} of ${summary.mailboxes} mailboxes can send now; ${waiting} (the dispatcher runs every minute).`;
  }
  return (
    <p class={`notice ${ok ? "notice-ok" : "notice-error"}`} role="status" id="sending-status">
      {text}
    </p>
  );
}
