/**
 * Tells what an inbound message is before it touches an outreach row: a human reply, an auto-reply
 * (out-of-office, vacation responder, "we got your mail"), a bounce notice (a delivery status notification,
 * RFC 3464) or other automated mail (newsletters, notifications, delay notices, read receipts).
 *
 * Pure: headers and text in, a kind and the parsed fields out. The rules follow RFC 3834 (`Auto-Submitted`),
 * RFC 3464 (`multipart/report; report-type=delivery-status`) and what real servers add (Exchange's
 * `X-MS-Exchange-*` and `X-Auto-Response-Suppress`, Exim's `X-Failed-Recipients`, mailer-daemon senders), in
 * the order the helpdesks use (Zammad's bounce, auto-response and out-of-office checks): a bounce first, then
 * automated mail, and human only when nothing says otherwise. Words in a body alone never make a message
 * automated: a person may write "I was out of office last week" in a real reply.
 */

export type InboundKind = "human" | "auto_reply" | "bounce" | "other";

/** An attached MIME part, as text (the report parts of a DSN: `message/delivery-status`, `text/rfc822-headers`). */
export interface InboundPart {
  contentType: string;
  text: string;
}

export interface InboundMessage {
  /** Every header as received, in order (Mailgun's `message-headers`). */
  headers: [string, string][];
  /** The envelope sender (Mailgun's `sender`); empty for a bounce (`MAIL FROM:<>`). */
  sender?: string;
  subject?: string;
  /** The plain-text body (Mailgun's `body-plain`, else `stripped-text`). */
  text?: string;
  parts?: InboundPart[];
}

export interface BounceReport {
  /** The Message-ID of the message that bounced (`<...>`), from the report or its returned headers. */
  originalMessageId?: string;
  /** `Final-Recipient` (or `Original-Recipient`, or `X-Failed-Recipients`), lower-cased. */
  recipient?: string;
  /** RFC 3463 status, e.g. `5.1.1`. */
  status?: string;
  diagnostic?: string;
}

export interface Classification {
  kind: InboundKind;
  /** Which signals decided (for the admin review list). */
  reasons: string[];
  /** For an auto-reply: the day the person is back, when the text gives one (`YYYY-MM-DD`). */
  returnDate?: string;
  bounce?: BounceReport;
}

const header = (m: InboundMessage, name: string): string | undefined =>
  m.headers.find(([k]) => k.toLowerCase() === name)?.[1]?.trim();

/** Subjects of bounce notices in the languages we support (Exchange, Postfix, Exim, Gmail, qmail, Sendmail). */
const BOUNCE_SUBJECT = new RegExp(
  [
    "^undeliverable:",
    "^undelivered mail returned to sender",
    "^delivery status notification \\((failure|failed)\\)",
    "^mail delivery failed",
    "^returned mail:",
    "^failure notice",
    "^delivery failure",
    "^message not delivered",
    "^mail delivery failure",
    "^unzustellbar:",
    "^nicht zustellbar",
    "^non remis",
    "^non distribuable",
    "^échec de (la )?remise",
    "^no se puede entregar",
    "^no entregado",
    "^onbestelbaar",
    "^niet bezorgd",
    "^não entregue",
    "^não foi possível entregar",
  ].join("|"),
  "i",
);

/** Delay notices ("still trying") are not bounces. */
const DELAY_SUBJECT = /^(delivery status notification \(delay\)|delayed mail|warning: message .* delayed)/i;

/** Subjects of out-of-office and auto-replies (Exchange/Outlook prefixes in six languages, common custom ones). */
const AUTO_REPLY_SUBJECT = new RegExp(
  [
    "^automatic reply:",
    "^auto(matic)?[ -]?(reply|response)\\b",
    "^autoreply\\b",
    "^out of (the )?office\\b",
    "^ooo\\b",
    "^(on )?vacation\\b",
    "^away from (the )?office",
    "^automatische antwort",
    "^abwesenheitsnotiz",
    "^abwesend\\b",
    "^réponse automatique",
    "^absence du bureau",
    "^absent\\b",
    "^respuesta automática",
    "^fuera de la oficina",
    "^ausente\\b",
    "^automatisch antwoord",
    "^afwezig(heidsbericht)?\\b",
    "^niet aanwezig",
    "^resposta automática",
    "^fora do escritório",
    "^ausência\\b",
  ].join("|"),
  "i",
);

/** Body phrases of an out-of-office; only used when a header or the subject already says "automated". */
const AWAY_BODY =
  /out of (the )?office|on (annual |parental |sick )?leave|on vacation|on holiday|away from (the )?office|limited access to (my )?e-?mail|nicht im büro|abwesend|urlaub|absente?s?\b|en congés?|hors du bureau|fuera de la oficina|de vacaciones|ausente|afwezig|met vakantie|niet op kantoor|fora do escritório|de férias/i;

const DAEMON_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mail delivery (subsystem|system))\b/i;

/**
 * Classifies one inbound message.
 *
 * @example
 * classifyInbound({ headers: [["Auto-Submitted", "auto-replied"]], subject: "Out of office", text: "Back on 7 December." }, new Date("2026-12-01"))
 * // { kind: "auto_reply", reasons: ["auto-submitted: auto-replied", ...], returnDate: "2026-12-07" }
 */
export function classifyInbound(m: InboundMessage, receivedAt: Date = new Date()): Classification {
  const reasons: string[] = [];
  const subject = (m.subject ?? header(m, "subject") ?? "").trim();
  const contentType = (header(m, "content-type") ?? "").toLowerCase();
  const fromHeader = header(m, "from") ?? "";
  const sender = m.sender ?? "";
  const senderLocal = (addr: string) => (/<([^<>]*)>/.exec(addr)?.[1] ?? addr).split("@")[0].trim();
  const fromName = fromHeader.replace(/<[^<>]*>/, "").replace(/"/g, "").trim();
  const daemon = DAEMON_SENDER.test(senderLocal(fromHeader)) || DAEMON_SENDER.test(fromName) ||
    DAEMON_SENDER.test(senderLocal(sender));
  const returnPath = header(m, "return-path");
  const nullSender = returnPath === "<>" || (m.sender !== undefined && sender.trim() === "") ||
    sender.trim() === "<>";

  // 1. Bounce notices.
  const report = parseReport(m);
  const deliveryReport = /multipart\/report/.test(contentType) &&
    /report-type="?delivery-status/.test(contentType);
  const hasStatusPart = (m.parts ?? []).some((p) =>
    /message\/(global-)?delivery-status/i.test(p.contentType)
  );
  const failed = header(m, "x-failed-recipients");
  const ndr = /^true$/i.test(header(m, "x-ms-exchange-message-is-ndr") ?? "") ||
    header(m, "x-ms-exchange-message-is-ndr") === "";
  if (deliveryReport) reasons.push("content-type: multipart/report; report-type=delivery-status");
  if (hasStatusPart) reasons.push("message/delivery-status part");
  if (failed) reasons.push("x-failed-recipients");
  if (ndr) reasons.push("x-ms-exchange-message-is-ndr");
  if (daemon) reasons.push("mailer-daemon sender");
  if (nullSender) reasons.push("empty envelope sender");
  const bounceSubject = BOUNCE_SUBJECT.test(subject);
  if (bounceSubject) reasons.push("bounce subject");
  const strongBounce = deliveryReport || hasStatusPart || Boolean(failed) || ndr;
  if (strongBounce || ((daemon || nullSender) && (bounceSubject || report.status !== undefined))) {
    // A report whose every action is "delayed" (or "relayed", "delivered") is a notice, not a failure.
    if (report.actions.length && !report.actions.includes("failed")) {
      return { kind: "other", reasons: [...reasons, `dsn action: ${report.actions.join(",")}`] };
    }
    if (DELAY_SUBJECT.test(subject) && !report.actions.includes("failed")) {
      return { kind: "other", reasons: [...reasons, "delay notice"] };
    }
    if (failed && !report.recipient) report.recipient = failed.split(",")[0].trim().toLowerCase();
    const { actions: _actions, ...bounce } = report;
    return { kind: "bounce", reasons, bounce };
  }
  if (/multipart\/report/.test(contentType) && /disposition-notification/.test(contentType)) {
    return { kind: "other", reasons: [...reasons, "read receipt (disposition-notification)"] };
  }
  if (daemon || nullSender) {
    return { kind: "other", reasons };
  }

  // 2. Automated mail: an auto-reply when it answers us (out-of-office), else other.
  const auto: string[] = [];
  const autoSubmitted = header(m, "auto-submitted")?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith("no")) auto.push(`auto-submitted: ${autoSubmitted}`);
  for (const name of ["x-autoreply", "x-autorespond", "x-autogenerated", "x-autoresponder"]) {
    const value = header(m, name);
    if (value !== undefined && !/^(no|false)$/i.test(value)) auto.push(name);
  }
  const precedence = header(m, "precedence")?.toLowerCase();
  if (precedence && /^(auto_reply|bulk|junk|list)$/.test(precedence)) auto.push(`precedence: ${precedence}`);
  if (header(m, "x-ms-exchange-inbox-rules-loop") !== undefined) auto.push("x-ms-exchange-inbox-rules-loop");
  const suppress = header(m, "x-auto-response-suppress");
  if (suppress !== undefined) auto.push("x-auto-response-suppress");
  const subjectSaysAway = AUTO_REPLY_SUBJECT.test(subject);
  if (subjectSaysAway) auto.push("auto-reply subject");
  const listMail = header(m, "list-id") !== undefined || header(m, "list-unsubscribe") !== undefined;

  // Weak alone: X-Auto-Response-Suppress is set by some clients on ordinary mail, and the rules-loop header
  // by any Exchange inbox rule (a person's reply forwarded by a rule carries it too).
  const weak = new Set(["x-auto-response-suppress", "x-ms-exchange-inbox-rules-loop"]);
  const automated = auto.some((a) => !weak.has(a)) || auto.length >= 2;
  if (automated) {
    const text = `${subject}\n${m.text ?? ""}`;
    const replied = autoSubmitted === "auto-replied" || precedence === "auto_reply" ||
      auto.some((a) => /^x-auto(reply|respond|responder)$/.test(a)) ||
      subjectSaysAway || AWAY_BODY.test(text);
    if (replied && !(listMail && !subjectSaysAway && autoSubmitted !== "auto-replied")) {
      const returnDate = findReturnDate(ownText(m.text ?? ""), receivedAt) ??
        findReturnDate(subject, receivedAt);
      return { kind: "auto_reply", reasons: [...reasons, ...auto], ...(returnDate ? { returnDate } : {}) };
    }
    return { kind: "other", reasons: [...reasons, ...auto, ...(listMail ? ["list mail"] : [])] };
  }
  if (listMail) return { kind: "other", reasons: [...reasons, "list mail"] };
  return { kind: "human", reasons: [...reasons, "no automated signal"] };
}

/**
 * The responder's own words: the text before a quoted original ("> ", "-----Original Message-----",
 * "On ... wrote:", "Am ... schrieb"), at most 5,000 characters, so a date in our own quoted mail is never
 * taken for the return date.
 */
export function ownText(text: string): string {
  const head = text.slice(0, 5000);
  const quote =
    /\n(>|-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original)|on .{0,200}wrote:|am .{0,200}schrieb)/i
      .exec(head);
  return quote ? head.slice(0, quote.index) : head;
}

/** The report fields of a DSN: from its `message/delivery-status` part, else from the text (Postfix, Exim). */
function parseReport(m: InboundMessage): BounceReport & { actions: string[] } {
  const statusParts = (m.parts ?? []).filter((p) => /delivery-status/i.test(p.contentType));
  const headerParts = (m.parts ?? []).filter((p) => /rfc822/i.test(p.contentType));
  const all = [...statusParts.map((p) => p.text), m.text ?? ""].join("\n");
  const field = (text: string, name: string) =>
    new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t]+.+)*)`, "im").exec(text)?.[1]?.replace(/\s+/g, " ").trim();
  const actions = [...all.matchAll(/^Action:\s*([a-z]+)/gim)].map((a) => a[1].toLowerCase());
  const recipientField = field(all, "Final-Recipient") ?? field(all, "Original-Recipient");
  const recipient = recipientField?.replace(/^rfc822;\s*/i, "").replace(/[<>]/g, "").trim().toLowerCase();
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(all)?.[1];
  const diagnostic = field(all, "Diagnostic-Code")?.replace(/^smtp;\s*/i, "").slice(0, 1000);
  // The bounced message's own id: the report's Original-Message-ID, else the Message-ID of the returned headers.
  const returned = [...headerParts.map((p) => p.text), m.text ?? ""].join("\n");
  const idIn = (v?: string) => v ? /<[^<>\s]+>/.exec(v)?.[0] : undefined;
  const originalMessageId = idIn(field(all, "Original-Message-ID")) ??
    idIn(field(headerParts.map((p) => p.text).join("\n"), "Message-ID")) ??
    idIn(/^[ \t>]*Message-ID:\s*(<[^<>\s]+>)/im.exec(returned)?.[1]);
  return {
    actions,
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(recipient ? { recipient } : {}),
    ...(status ? { status } : {}),
    ...(diagnostic ? { diagnostic } : {}),
  };
}

const MONTHS: Record<string, number> = {};
(
  [
    // English, German, French, Spanish, Dutch, Portuguese; the first few letters match abbreviations too.
    ["january jan januar janv janvier enero ene januari janeiro", 1],
    ["february feb februar févr fevr février fevrier febrero februari fevereiro fev", 2],
    ["march mar märz maerz mars marzo maart março marco", 3],
    ["april apr avril abril avr abr", 4],
    ["may mai mayo mei maio", 5],
    ["june jun juni juin junio junho", 6],
    ["july jul juli juil juillet julio julho", 7],
    ["august aug août aout agosto ago augustus", 8],
    ["september sep sept septembre septiembre setiembre setembro set", 9],
    ["october oct oktober octobre octubre okt outubro out", 10],
    ["november nov novembre noviembre novembro", 11],
    ["december dec dezember déc décembre diciembre dic dezembro dez", 12],
  ] as [string, number][]
).forEach(([names, n]) => names.split(" ").forEach((name) => (MONTHS[name] = n)));

const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join("|");

/** Words after which a date says when the person is back (or until when they are away). */
const UNTIL = "(?<![a-zà-ÿ])(?:" +
  "until|till|til|through|thru|back on|back in the office on|return(?:ing)? on|returning|return|back|bis(?: zum| einschließlich| einschl\\.)?|ab|zurück am|wieder am|jusqu'au|jusqu’au|jusqu'à|jusqu’à|au|retour le|de retour le|hasta el|hasta|regreso el|volveré el|tot en met|t/m|tot|terug op|vanaf|até(?: o dia| dia)?|até|retorno em|retorno no dia|volto em|volto no dia|regresso em)";

/**
 * The return date in an out-of-office text (`YYYY-MM-DD`), in the common forms: ISO, `7.12.2026`, `07/12/2026`
 * (day first, except an English text whose first number cannot be a day... see below), `December 7(th)`,
 * `7 December`, `7. Dezember`, `7 de diciembre`, `le 7 décembre`, with or without a year and a weekday. A date
 * without a year is the next such day on or after `receivedAt`; a date more than a year ahead or in the past is
 * ignored. "until X" and "back on X" both give X: the next step goes out the day after it either way.
 */
export function findReturnDate(text: string, receivedAt: Date = new Date()): string | undefined {
  const t = text.replace(/\s+/g, " ");
  const weekday = "(?:[a-zà-ÿ]+\\.?,? )?";
  const patterns: { re: RegExp; pick: (g: string[]) => [number, number, number | undefined] | undefined }[] =
    [
      {
        re: new RegExp(`${UNTIL} (?:the )?${weekday}(\\d{4})-(\\d{2})-(\\d{2})`, "i"),
        pick: (g) => [+g[2], +g[3], +g[1]],
      },
      {
        // 7.12.2026, 07/12/2026, 7-12-26, 12/7/2026 (English: month first when it reads as one)
        re: new RegExp(
          `(${UNTIL}) (?:(?:the|le|el|o|dia|den|zum) )?${weekday}(\\d{1,2})([./-])(\\d{1,2})(?:\\3(\\d{2,4}))?\\b`,
          "i",
        ),
        pick: (g) => {
          let day = +g[2], month = +g[4];
          // US English writes the month first with slashes; everyone else the day. A number above 12 decides.
          const usStyle = g[3] === "/" && /^(until|till|til|through|thru|back|return)/i.test(g[1]);
          if ((usStyle && day <= 12) || month > 12) [day, month] = [month, day];
          const year = g[5] ? (g[5].length === 2 ? 2000 + +g[5] : +g[5]) : undefined;
          return [month, day, year];
        },
      },
      {
        // December 7th, 2026 / Dec 7
        re: new RegExp(
          `${UNTIL} (?:the )?${weekday}(${MONTH})\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?`,
          "i",
        ),
        pick: (g) => [MONTHS[g[1].toLowerCase()], +g[2], g[3] ? +g[3] : undefined],
      },
      {
        // 7 December 2026 / 7. Dezember / 7 de diciembre de 2026 / le 7 décembre / 7th of December
        re: new RegExp(
          `${UNTIL} (?:(?:the|le|el|o|dia|den|zum) )?${weekday}(\\d{1,2})(?:st|nd|rd|th|er|e)?\\.? (?:of |de )?(${MONTH})\\.?(?:,? (?:de )?(\\d{4}))?`,
          "i",
        ),
        pick: (g) => [MONTHS[g[2].toLowerCase()], +g[1], g[3] ? +g[3] : undefined],
      },
    ];
  const day0 = Date.UTC(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), receivedAt.getUTCDate());
  let best: number | undefined;
  let bestIndex = Infinity;
  for (const { re, pick } of patterns) {
    const match = re.exec(t);
    if (!match || match.index > bestIndex) continue;
    const parts = pick([...match]);
    if (!parts) continue;
    const [month, day, year] = parts;
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) continue;
    let at = Date.UTC(year ?? receivedAt.getUTCFullYear(), month - 1, day);
    if (new Date(at).getUTCDate() !== day) continue; // 31 February
    if (year === undefined && at < day0) at = Date.UTC(receivedAt.getUTCFullYear() + 1, month - 1, day);
    if (at < day0 || at > day0 + 366 * 86_400_000) continue;
    best = at;
    bestIndex = match.index;
  }
  return best === undefined ? undefined : new Date(best).toISOString().slice(0, 10);
}
