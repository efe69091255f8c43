/**
 * Inbound messages in the shapes real servers produce (headers as Mailgun's `message-headers` lists them,
 * the text as `body-plain`, report parts as attachments), written by hand after the documented formats:
 * RFC 3834 auto-replies, RFC 3464 reports, Exchange/Outlook, Gmail, Apple iCloud, Postfix, Exim. The
 * classifier's test runs every one; the webhook tests post some of them through the signed route.
 * Every sample answers step 1 of an outreach whose Message-ID is `ORIGINAL` and whose contact is `CONTACT`.
 */
import type { InboundKind, InboundMessage } from "@/core/mail/inbound_classify.ts";

export const ORIGINAL = "<rf.step1.abc123@mb.example>";
export const CONTACT = "dana@initech.example";
/** The day every sample is received (the return dates below are relative to it). */
export const RECEIVED = new Date("2026-11-30T10:00:00Z");

export interface Sample {
  name: string;
  message: InboundMessage;
  kind: InboundKind;
  returnDate?: string;
  bounce?: { originalMessageId?: string; recipient?: string; status?: string };
}

const reply = (extra: [string, string][]): [string, string][] => [
  ["Received", "from mail.initech.example by mxa.mailgun.org"],
  ["Message-Id", `<${crypto.randomUUID()}@initech.example>`],
  ["In-Reply-To", ORIGINAL],
  ["References", ORIGINAL],
  ["From", `Dana Scully <${CONTACT}>`],
  ["To", "Sam Sender <sam@mb.example>"],
  ["Date", "Mon, 30 Nov 2026 10:00:00 +0000"],
  ...extra,
];

const dsnHeaders = (from: string, subject: string, extra: [string, string][] = []): [string, string][] => [
  ["Return-Path", "<>"],
  ["From", from],
  ["To", "sam@mb.example"],
  ["Subject", subject],
  ["Auto-Submitted", "auto-replied"],
  ["Content-Type", 'multipart/report; report-type=delivery-status; boundary="B1"'],
  ...extra,
];

const statusPart = (recipient: string, status: string, action = "failed", diagnostic = "") => ({
  contentType: "message/delivery-status",
  text: `Reporting-MTA: dns; mx.initech.example\nArrival-Date: Mon, 30 Nov 2026 09:59:58 +0000\n\n` +
    `Final-Recipient: rfc822; ${recipient}\nOriginal-Recipient: rfc822;${recipient}\nAction: ${action}\n` +
    `Status: ${status}\nRemote-MTA: dns; mx.initech.example\n` +
    (diagnostic ? `Diagnostic-Code: smtp; ${diagnostic}\n` : ""),
});

const returnedHeaders = {
  contentType: "text/rfc822-headers",
  text: `Return-Path: <bounce+abc@mb.example>\nFrom: "Sam Sender" <sam@mb.example>\nTo: ${CONTACT}\n` +
    `Subject: Quick question about the Staff Engineer role\nMessage-ID: ${ORIGINAL}\n`,
};

export const SAMPLES: Sample[] = [
  // ---- human replies
  {
    name: "Gmail reply quoting the original",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Quick question about the Staff Engineer role",
      headers: reply([["Content-Type", 'multipart/alternative; boundary="000000000000a1"']]),
      text:
        "Hi Sam,\n\nHappy to chat, does Tuesday work?\n\nDana\n\nOn Mon, Nov 30, 2026 at 9:00 AM Sam Sender " +
        "<sam@mb.example> wrote:\n> Hi Dana,\n> I saw the Staff Engineer role...",
    },
  },
  {
    name: "Outlook reply with a quoted header block",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "RE: Quick question about the Staff Engineer role",
      headers: reply([["Thread-Index", "AQHZ1234abcd=="], ["X-MS-Has-Attach", ""], [
        "X-MS-Exchange-Organization-SCL",
        "1",
      ]]),
      text:
        "Thanks Sam, forwarding to our recruiter.\n\n________________________________\nFrom: Sam Sender " +
        "<sam@mb.example>\nSent: Monday, November 30, 2026 9:00 AM\nTo: Dana Scully\nSubject: Quick question",
    },
  },
  {
    name: "human reply mentioning out of office in prose",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Quick question about the Staff Engineer role",
      headers: reply([]),
      text:
        "Sorry for the slow answer, I was out of office last week. I'm back until December 20 and then on " +
        "vacation. Let's talk Thursday?",
    },
  },
  {
    name: "human reply saying 'automatic reply' in a sentence",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Staff Engineer",
      headers: reply([]),
      text:
        "Ha, at first I thought your mail was an automatic reply! It's not a bot, right? Send me your CV.",
    },
  },
  {
    name: "German human reply (Abwesenheit mentioned)",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "AW: Frage zur Stelle",
      headers: reply([]),
      text:
        "Hallo Sam, ich war im Urlaub und bin bis Freitag abwesend gewesen. Gerne telefonieren wir nächste " +
        "Woche.\n\nAm 30.11.2026 schrieb Sam Sender:\n> Hallo Dana",
    },
  },
  {
    name: "French human reply",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "RE : Question sur le poste",
      headers: reply([]),
      text:
        "Bonjour Sam, merci pour votre message. Je transmets à l'équipe.\n\nLe lun. 30 nov. 2026, Sam a écrit :",
    },
  },
  {
    name: "Apple Mail human reply from an iPhone",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Quick question",
      headers: reply([["X-Mailer", "iPhone Mail (21A351)"], ["Content-Type", "text/plain; charset=utf-8"]]),
      text: "Sure! Call me tomorrow.\n\nSent from my iPhone\n\n> On Nov 30, 2026, at 09:00, Sam wrote:",
    },
  },
  {
    name: "human reply explicitly sent with Auto-Submitted: no",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Quick question",
      headers: reply([["Auto-Submitted", "no"]]),
      text: "Yes, I'm the hiring manager.",
    },
  },

  {
    name: "Spanish human reply (mentions vacaciones)",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "RE: Pregunta sobre el puesto",
      headers: reply([]),
      text:
        "Hola Sam, estuve de vacaciones hasta el lunes. Hablemos el jueves.\n\nEl lun, 30 nov 2026, Sam escribió:",
    },
  },
  {
    name: "Dutch human reply (was afwezig)",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Vraag over de functie",
      headers: reply([]),
      text: "Hoi Sam, ik was afwezig tot gisteren, maar ik kijk er graag naar. Stuur je cv?",
    },
  },
  {
    name: "Portuguese human reply (estava de férias)",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "Re: Pergunta sobre a vaga",
      headers: reply([]),
      text: "Olá Sam, estava de férias. Podemos falar amanhã?\n\nEm seg., 30 de nov. de 2026, Sam escreveu:",
    },
  },

  {
    name: "human reply forwarded by an Exchange inbox rule",
    kind: "human",
    message: {
      sender: CONTACT,
      subject: "RE: Quick question about the Staff Engineer role",
      headers: reply([["X-MS-Exchange-Inbox-Rules-Loop", "assistant@initech.example"]]),
      text: "Sam, thanks. Looping in our recruiter, who will schedule a call.",
    },
  },

  // ---- auto-replies
  {
    name: "Exchange Online automatic reply (English, US date)",
    kind: "auto_reply",
    returnDate: "2026-12-07",
    message: {
      sender: CONTACT,
      subject: "Automatic reply: Quick question about the Staff Engineer role",
      headers: reply([
        ["Auto-Submitted", "auto-generated"],
        ["X-Auto-Response-Suppress", "All"],
        ["X-MS-Exchange-Inbox-Rules-Loop", CONTACT],
        ["X-MS-Exchange-Organization-AutoReplyType", "OOF"],
      ]),
      text:
        "Thank you for your message. I am out of the office until 12/7/2026 with limited access to email.",
    },
  },
  {
    name: "Exchange automatic reply in German",
    kind: "auto_reply",
    returnDate: "2026-12-14",
    message: {
      sender: CONTACT,
      subject: "Automatische Antwort: Frage zur Stelle",
      headers: reply([["Auto-Submitted", "auto-generated"], ["X-Auto-Response-Suppress", "All"]]),
      text:
        "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 14.12.2026 nicht im Büro. In dringenden " +
        "Fällen wenden Sie sich bitte an hr@initech.example.",
    },
  },
  {
    name: "Exchange réponse automatique in French",
    kind: "auto_reply",
    returnDate: "2026-12-04",
    message: {
      sender: CONTACT,
      subject: "Réponse automatique : Question sur le poste",
      headers: reply([["Auto-Submitted", "auto-generated"], ["X-MS-Exchange-Inbox-Rules-Loop", CONTACT]]),
      text:
        "Bonjour, je suis absente du bureau jusqu'au vendredi 4 décembre. Je vous répondrai à mon retour.",
    },
  },
  {
    name: "Exchange respuesta automática in Spanish",
    kind: "auto_reply",
    returnDate: "2027-01-08",
    message: {
      sender: CONTACT,
      subject: "Respuesta automática: Pregunta sobre el puesto",
      headers: reply([["Auto-Submitted", "auto-generated"], ["X-Auto-Response-Suppress", "All"]]),
      text:
        "Gracias por su mensaje. Estoy de vacaciones hasta el 8 de enero de 2027, con acceso limitado al correo.",
    },
  },
  {
    name: "Exchange automatisch antwoord in Dutch",
    kind: "auto_reply",
    returnDate: "2026-12-11",
    message: {
      sender: CONTACT,
      subject: "Automatisch antwoord: Vraag over de functie",
      headers: reply([["Auto-Submitted", "auto-generated"], ["X-Auto-Response-Suppress", "All"]]),
      text: "Bedankt voor je bericht. Ik ben afwezig tot en met 11 december en lees mijn mail daarna.",
    },
  },
  {
    name: "Exchange resposta automática in Portuguese",
    kind: "auto_reply",
    returnDate: "2026-12-15",
    message: {
      sender: CONTACT,
      subject: "Resposta automática: Pergunta sobre a vaga",
      headers: reply([["Auto-Submitted", "auto-generated"], ["X-Auto-Response-Suppress", "All"]]),
      text: "Obrigado pela sua mensagem. Estou de férias até 15/12/2026, com acesso limitado ao e-mail.",
    },
  },
  {
    name: "Gmail vacation responder (custom subject, month name)",
    kind: "auto_reply",
    returnDate: "2026-12-09",
    message: {
      sender: CONTACT,
      subject: "Away until December 9th",
      headers: reply([["Auto-Submitted", "auto-replied"], ["Precedence", "bulk"]]),
      text: "Hi, I'm travelling with limited access to email. I'll be back on Wednesday, December 9th, 2026.",
    },
  },
  {
    name: "Gmail vacation responder that keeps the Re: subject, no date",
    kind: "auto_reply",
    message: {
      sender: CONTACT,
      subject: "Re: Quick question about the Staff Engineer role",
      headers: reply([["Auto-Submitted", "auto-replied"]]),
      text: "Thanks for your email! I'm on parental leave and will answer when I'm back.",
    },
  },
  {
    name: "Apple iCloud vacation reply",
    kind: "auto_reply",
    returnDate: "2026-12-03",
    message: {
      sender: CONTACT,
      subject: "Out of Office",
      headers: reply([["Auto-Submitted", "auto-replied"], ["X-Autoreply", "yes"]]),
      text: "I'm away until 3 December 2026. I'll reply when I'm back.",
    },
  },
  {
    name: "old Outlook 'Out of Office:' subject, no headers (POP/IMAP client rule)",
    kind: "auto_reply",
    returnDate: "2026-12-02",
    message: {
      sender: CONTACT,
      subject: "Out of Office: Quick question",
      headers: reply([]),
      text: "I'm out of the office until Wednesday, Dec 2. For urgent matters call 555-0100.",
    },
  },
  {
    name: "German Abwesenheitsnotiz (Outlook classic), ab ... wieder erreichbar",
    kind: "auto_reply",
    returnDate: "2026-12-07",
    message: {
      sender: CONTACT,
      subject: "Abwesenheitsnotiz: Frage zur Stelle",
      headers: reply([["X-Auto-Response-Suppress", "All"], ["X-MS-Exchange-Inbox-Rules-Loop", CONTACT]]),
      text: "Ich bin im Urlaub und ab 7. Dezember wieder erreichbar.",
    },
  },
  {
    name: "Postfix vacation(8) / Sieve vacation with Precedence: auto_reply",
    kind: "auto_reply",
    returnDate: "2026-12-21",
    message: {
      sender: CONTACT,
      subject: "On vacation",
      headers: reply([["Precedence", "auto_reply"], ["X-Autorespond", "vacation"]]),
      text: "I am on holiday, back 2026-12-21.",
    },
  },
  {
    name: "helpdesk acknowledgement (auto-replied, no date)",
    kind: "auto_reply",
    message: {
      sender: "jobs@initech.example",
      subject: "[Ticket #4521] We received your message",
      headers: [
        ["From", "Initech Careers <jobs@initech.example>"],
        ["Auto-Submitted", "auto-replied"],
        ["In-Reply-To", ORIGINAL],
        ["X-Autoreply", "true"],
      ],
      text: "Thank you for contacting Initech Careers. Our team will get back to you within 3 business days.",
    },
  },

  // ---- bounce notices
  {
    name: "Postfix bounce: Undelivered Mail Returned to Sender, id only in the returned headers",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT, status: "5.1.1" },
    message: {
      sender: "",
      subject: "Undelivered Mail Returned to Sender",
      headers: dsnHeaders(
        "MAILER-DAEMON@mx.initech.example (Mail Delivery System)",
        "Undelivered Mail Returned to Sender",
      ),
      text:
        "This is the mail system at host mx.initech.example.\n\nI'm sorry to have to inform you that your " +
        "message could not\nbe delivered to one or more recipients.\n\n<dana@initech.example>: host " +
        "mx.initech.example said: 550 5.1.1 User unknown",
      parts: [
        statusPart(CONTACT, "5.1.1", "failed", "550 5.1.1 <dana@initech.example>: User unknown"),
        returnedHeaders,
      ],
    },
  },
  {
    name: "Exim bounce: Mail delivery failed, X-Failed-Recipients, text only",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT },
    message: {
      sender: "",
      subject: "Mail delivery failed: returning message to sender",
      headers: [
        ["Return-Path", "<>"],
        ["From", "Mail Delivery System <Mailer-Daemon@mx.initech.example>"],
        ["X-Failed-Recipients", CONTACT],
        ["Auto-Submitted", "auto-replied"],
        ["Subject", "Mail delivery failed: returning message to sender"],
      ],
      text:
        "This message was created automatically by mail delivery software.\n\nA message that you sent could not " +
        "be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) " +
        `failed:\n\n  ${CONTACT}\n    SMTP error from remote mail server after RCPT TO:<${CONTACT}>:\n    550 No ` +
        `such user\n\n------ This is a copy of the message, including all the headers. ------\n\n` +
        `From: Sam Sender <sam@mb.example>\nMessage-ID: ${ORIGINAL}\nSubject: Quick question\n`,
    },
  },
  {
    name: "Exchange Online NDR: Undeliverable:",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT, status: "5.1.10" },
    message: {
      sender: "postmaster@initech.onmicrosoft.com",
      subject: "Undeliverable: Quick question about the Staff Engineer role",
      headers: [
        ["From", "Microsoft Outlook <postmaster@initech.onmicrosoft.com>"],
        ["To", "sam@mb.example"],
        ["Subject", "Undeliverable: Quick question about the Staff Engineer role"],
        ["Content-Type", 'multipart/report; report-type=delivery-status; boundary="_000_"'],
        ["X-MS-Exchange-Message-Is-Ndr", ""],
        ["Auto-Submitted", "auto-replied"],
      ],
      text:
        "Your message to dana@initech.example couldn't be delivered.\ndana wasn't found at initech.example.",
      parts: [
        {
          contentType: "message/delivery-status",
          text: `Reporting-MTA: dns;BN8PR.namprd.prod.outlook.com\nReceived-From-MTA: dns;mb.example\n\n` +
            `Original-Recipient: rfc822;${CONTACT}\nFinal-Recipient: rfc822;${CONTACT}\nAction: failed\n` +
            `Status: 5.1.10\nDiagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found\n`,
        },
        returnedHeaders,
      ],
    },
  },
  {
    name: "Exchange on-premises NDR in German: Unzustellbar:",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT, status: "5.1.1" },
    message: {
      sender: "postmaster@initech.example",
      subject: "Unzustellbar: Frage zur Stelle",
      headers: [
        ["From", "postmaster@initech.example"],
        ["Content-Type", "multipart/report; report-type=delivery-status; boundary=x"],
        ["X-MS-Exchange-Message-Is-Ndr", ""],
      ],
      text: "Die Nachricht konnte nicht zugestellt werden.",
      parts: [statusPart(CONTACT, "5.1.1"), returnedHeaders],
    },
  },
  {
    name: "Google: Delivery Status Notification (Failure)",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT, status: "5.1.1" },
    message: {
      sender: "",
      subject: "Delivery Status Notification (Failure)",
      headers: [
        ["From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"],
        ["Content-Type", 'multipart/report; boundary="0000"; report-type=delivery-status'],
        ["Auto-Submitted", "auto-replied"],
        ["X-Failed-Recipients", CONTACT],
      ],
      text:
        "** Address not found **\n\nYour message wasn't delivered to dana@initech.example because the address " +
        "couldn't be found, or is unable to receive mail.",
      parts: [
        statusPart(
          CONTACT,
          "5.1.1",
          "failed",
          "550-5.1.1 The email account that you tried to reach does not exist.",
        ),
        returnedHeaders,
      ],
    },
  },
  {
    name: "French Exchange NDR: Non remis :",
    kind: "bounce",
    bounce: { recipient: CONTACT, status: "5.2.2" },
    message: {
      sender: "postmaster@initech.fr",
      subject: "Non remis : Question sur le poste",
      headers: [["From", "postmaster@initech.fr"], ["X-MS-Exchange-Message-Is-Ndr", ""]],
      text: "Votre message n'a pas pu être remis.",
      parts: [statusPart(CONTACT, "5.2.2", "failed", "552 5.2.2 Mailbox full")],
    },
  },
  {
    name: "Spanish Exchange NDR: No se puede entregar:",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL, recipient: CONTACT, status: "5.1.1" },
    message: {
      sender: "postmaster@initech.es",
      subject: "No se puede entregar: Pregunta sobre el puesto",
      headers: [
        ["From", "Microsoft Outlook <postmaster@initech.es>"],
        ["Content-Type", 'multipart/report; report-type=delivery-status; boundary="_000_"'],
        ["X-MS-Exchange-Message-Is-Ndr", ""],
      ],
      text: "No se pudo entregar su mensaje a dana@initech.example.",
      parts: [statusPart(CONTACT, "5.1.1"), returnedHeaders],
    },
  },
  {
    name: "Dutch bounce by subject and daemon sender only (Onbestelbaar)",
    kind: "bounce",
    bounce: { recipient: CONTACT, status: "5.1.1" },
    message: {
      sender: "",
      subject: "Onbestelbaar: Vraag over de functie",
      headers: [["From", "MAILER-DAEMON@mx.initech.nl"]],
      text: `Final-Recipient: rfc822; ${CONTACT}\nAction: failed\nStatus: 5.1.1\n`,
    },
  },
  {
    name: "Portuguese bounce: Não entregue, returned Message-ID quoted in the text",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL },
    message: {
      sender: "MAILER-DAEMON@mx.initech.com.br",
      subject: "Não entregue: Pergunta sobre a vaga",
      headers: [["From", "MAILER-DAEMON@mx.initech.com.br"]],
      text: "A mensagem não pôde ser entregue.\n\n--- Mensagem original ---\n> Message-ID: " + ORIGINAL +
        "\n> Subject: Pergunta",
    },
  },

  {
    name: "qmail/Yahoo 'failure notice', text only, returned headers after the break",
    kind: "bounce",
    bounce: { originalMessageId: ORIGINAL },
    message: {
      sender: "",
      subject: "failure notice",
      headers: [["From", "MAILER-DAEMON@yahoo.example"], ["Return-Path", "<>"]],
      text:
        "Sorry, we were unable to deliver your message to the following address.\n\n<dana@initech.example>:\n" +
        "554: delivery error: dd This user doesn't have a yahoo.com account\n\n--- Below this line is a copy of " +
        `the message.\n\nReceived: from mb.example\nMessage-ID: ${ORIGINAL}\nSubject: Quick question\n`,
    },
  },

  // ---- other automated mail
  {
    name: "Gmail delay notice is not a bounce",
    kind: "other",
    message: {
      sender: "",
      subject: "Delivery Status Notification (Delay)",
      headers: [
        ["From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"],
        ["Content-Type", "multipart/report; report-type=delivery-status; boundary=z"],
      ],
      text: "Message delayed. Gmail will keep trying.",
      parts: [statusPart(CONTACT, "4.4.1", "delayed")],
    },
  },
  {
    name: "read receipt (disposition-notification)",
    kind: "other",
    message: {
      sender: CONTACT,
      subject: "Read: Quick question",
      headers: reply([[
        "Content-Type",
        "multipart/report; report-type=disposition-notification; boundary=q",
      ]]),
      text: "Your message was read on Monday, November 30, 2026.",
    },
  },
  {
    name: "newsletter from the contact's company (List-Unsubscribe, Precedence: bulk)",
    kind: "other",
    message: {
      sender: "news@initech.example",
      subject: "Initech Monthly: what we shipped",
      headers: [
        ["From", "Initech <news@initech.example>"],
        ["Precedence", "bulk"],
        ["List-Unsubscribe", "<https://initech.example/unsub>"],
        ["List-Id", "<news.initech.example>"],
      ],
      text: "This month we shipped TPS reports v2.",
    },
  },
  {
    name: "ATS notification (Auto-Submitted: auto-generated, no away words)",
    kind: "other",
    message: {
      sender: "no-reply@greenhouse.example",
      subject: "Your application to Initech",
      headers: [["From", "Greenhouse <no-reply@greenhouse.example>"], ["Auto-Submitted", "auto-generated"]],
      text: "Thanks for applying. We will review your application.",
    },
  },
  {
    name: "postmaster notice without a report or bounce subject",
    kind: "other",
    message: {
      sender: "postmaster@initech.example",
      subject: "Your mailbox quota",
      headers: [["From", "postmaster@initech.example"]],
      text: "Informational notice.",
    },
  },
];
