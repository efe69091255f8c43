import assert from "node:assert/strict";
import { funnelCsv, percent } from "./funnel_format.ts";

Deno.test("funnelCsv - one line per step and variant, the winner marked", () => {
  const csv = funnelCsv({
    window: "30d",
    steps: [{
      step_no: 1,
      winner: { variant: "B", p_value: 0.01 },
      variants: [
        {
          variant: "A",
          queued: 10,
          sent: 9,
          delivered: 8,
          opened: 5,
          clicked: 1,
          replied: 1,
          bounced: 1,
          unsubscribed: 0,
          reply_rate: { value: 1 / 9, low: 0.0199, high: 0.4350 },
        },
        {
          variant: "B",
          queued: 10,
          sent: 10,
          delivered: 10,
          opened: 7,
          clicked: 2,
          replied: 4,
          bounced: 0,
          unsubscribed: 1,
          reply_rate: { value: 0.4, low: 0.1682, high: 0.6873 },
        },
      ],
    }],
  });
  assert.equal(
    csv,
    "window,step_no,variant,queued,sent,delivered,opened,clicked,replied,bounced,unsubscribed,reply_rate," +
      "reply_rate_low,reply_rate_high,winner\r\n" +
      "30d,1,A,10,9,8,5,1,1,1,0,0.1111,0.0199,0.4350,\r\n" +
      "30d,1,B,10,10,10,7,2,4,0,1,0.4000,0.1682,0.6873,yes\r\n",
  );
});

Deno.test("percent - one decimal, and a dash without a whole", () => {
  assert.equal(percent(1, 3), "33.3%");
  assert.equal(percent(0, 0), "–");
});
