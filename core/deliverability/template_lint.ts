/**
 * Template lint: what makes a cold email look like bulk mail to a spam filter
 * or a reader, checked on the template as written (before `{{variables}}` are
 * filled). Warnings explain themselves and never block saving. Pure, so the
 * sequence editor runs the same checks live in the browser as
 * `POST /api/sequences/lint` does on the server.
 */

export interface LintWarning {
  code: string;
  message: string;
}

/**
 * Spam-trigger phrases. Source: HubSpot, "The Ultimate List of Email Spam
 * Trigger Words" (blog.hubspot.com, the list most cold-email tools cite),
 * cut to the phrases a job-search email could plausibly contain by accident,
 * plus a few from SpamAssassin's body rules (e.g. "act now", "100% free").
 */
export const SPAM_PHRASES: readonly string[] = [
  "100% free",
  "100% satisfied",
  "act now",
  "action required",
  "apply now",
  "as seen on",
  "be your own boss",
  "best price",
  "buy now",
  "call now",
  "cash bonus",
  "click below",
  "click here",
  "congratulations",
  "dear friend",
  "don't delete",
  "double your",
  "earn extra cash",
  "extra income",
  "final notice",
  "for free",
  "free access",
  "free gift",
  "free trial",
  "guaranteed",
  "increase sales",
  "limited time",
  "make money",
  "no catch",
  "no cost",
  "no obligation",
  "once in a lifetime",
  "order now",
  "risk-free",
  "risk free",
  "special promotion",
  "this isn't spam",
  "this is not spam",
  "urgent",
  "winner",
  "work from home",
  "you have been selected",
  "you're a winner",
];

/** Public link shorteners: they hide the destination, and filters distrust them. */
export const SHORTENER_DOMAINS: readonly string[] = [
  "bit.ly",
  "bitly.com",
  "buff.ly",
  "cutt.ly",
  "goo.gl",
  "is.gd",
  "ow.ly",
  "rb.gy",
  "rebrand.ly",
  "shorturl.at",
  "t.co",
  "t.ly",
  "tiny.cc",
  "tinyurl.com",
];

export const LIMITS = {
  /** More links than this in one cold email look like a newsletter. */
  links: 2,
  /** Share of the body's characters taken by URLs. */
  linkRatio: 0.25,
  /** Body words: replies fall off past about 200 words in cold outreach studies. */
  bodyWords: 200,
  /** Subject characters shown by most inboxes on a phone. */
  subjectChars: 60,
  /** Upper-case words (4+ letters) before it reads as shouting. */
  capsWords: 3,
};

const URL = /\bhttps?:\/\/[^\s<>()"']+|\bwww\.[^\s<>()"']+/gi;
const PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;
const OPT_OUT =
  /unsubscribe|opt[ -]?out|\{\{\s*unsubscribe(_url)?\s*\}\}|(reply|answer|write)[^.\n]{0,30}\b(stop|no thanks|not interested)\b|won'?t (write|email|contact) (you )?again/i;

function hostOf(url: string): string {
  const s = url.replace(/^https?:\/\//i, "").replace(/^www\./i, "");
  return s.split(/[/?#:]/)[0].toLowerCase();
}

/** The lint warnings for one step (subject and body), each with a code and a sentence saying why. */
export function lintTemplate(subject: string, body: string): LintWarning[] {
  const warnings: LintWarning[] = [];
  const text = `${subject}\n${body}`;
  const lower = text.toLowerCase();

  const phrases = SPAM_PHRASES.filter((p) => lower.includes(p));
  if (phrases.length) {
    warnings.push({
      code: "spam_phrase",
      message: `Spam-trigger wording: ${
        phrases.map((p) => `"${p}"`).join(", ")
      }. Filters score these; say it plainly.`,
    });
  }

  const caps = text.replace(/\{\{[^}]*\}\}/g, "").match(/\b[A-Z]{4,}\b/g) ?? [];
  const subjectLetters = subject.replace(/\{\{[^}]*\}\}/g, "").replace(/[^A-Za-z]/g, "");
  if (
    caps.length >= LIMITS.capsWords ||
    (subjectLetters.length >= 6 && subjectLetters === subjectLetters.toUpperCase())
  ) {
    warnings.push({
      code: "all_caps",
      message: `Words in capitals (${
        caps.slice(0, 5).join(", ") || "the subject"
      }) read as shouting and raise spam scores.`,
    });
  }

  if (/!{2,}/.test(text) || (text.match(/!/g) ?? []).length > 3) {
    warnings.push({
      code: "exclamation",
      message: "Runs of exclamation marks (or more than three in all) are a classic spam signal.",
    });
  }

  const urls = body.match(URL) ?? [];
  if (urls.length > LIMITS.links) {
    warnings.push({
      code: "too_many_links",
      message:
        `${urls.length} links: keep a cold email to ${LIMITS.links} or fewer so it does not look like a newsletter.`,
    });
  }
  const shorteners = [...new Set(urls.map(hostOf).filter((h) => SHORTENER_DOMAINS.includes(h)))];
  if (shorteners.length) {
    warnings.push({
      code: "link_shortener",
      message: `Link shortener (${
        shorteners.join(", ")
      }) hides where the link goes; filters distrust it. Use the full URL.`,
    });
  }
  const bodyChars = body.replace(/\s+/g, "").length;
  const urlChars = urls.join("").length;
  if (urls.length && bodyChars > 0 && urlChars / bodyChars > LIMITS.linkRatio) {
    warnings.push({
      code: "link_ratio",
      message: `Links are ${
        Math.round((urlChars / bodyChars) * 100)
      }% of the text: write more words around them.`,
    });
  }

  const words = body.trim() ? body.trim().split(/\s+/).length : 0;
  if (words > LIMITS.bodyWords) {
    warnings.push({
      code: "too_long",
      message: `${words} words: cold emails under ${LIMITS.bodyWords} words get more replies.`,
    });
  }
  if (subject.length > LIMITS.subjectChars) {
    warnings.push({
      code: "long_subject",
      message: `The subject has ${subject.length} characters; phones show about ${LIMITS.subjectChars}.`,
    });
  }

  if (!PLACEHOLDER.test(text)) {
    warnings.push({
      code: "no_personalisation",
      message:
        "No {{variable}} (such as {{first_name}} or {{company}}): identical emails to many people look bulk.",
    });
  }

  if (!OPT_OUT.test(body)) {
    warnings.push({
      code: "no_unsubscribe",
      message:
        'No opt-out line of your own. RoleFerry appends one with the unsubscribe link, but a short line in your words ("reply stop and I won\'t write again") reads better.',
    });
  }
  return warnings;
}
