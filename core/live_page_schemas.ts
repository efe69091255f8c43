/** The live-page API's bodies and answers (contract §6). */
import { z } from "zod";

const text = (max: number) =>
  z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(
    max,
    `at most ${max} characters`,
  );

/** Only http(s) links: a page must not carry javascript: or data: URLs to its visitors. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000, "too long");

const Links = z.array(z.strictObject({ label: text(80), url: HttpUrl })).max(10, "at most 10 links");

export const CreateLivePage = z.strictObject({
  application_id: z.number({ error: "must be an application id" }).int("must be an application id").min(1),
  headline: text(200),
  pitch: text(4000),
  links: Links.optional(),
  show_match: z.boolean({ error: "must be true or false" }).optional(),
});

export const UpdateLivePage = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  headline: text(200).optional(),
  pitch: text(4000).optional(),
  links: Links.optional(),
  show_match: z.boolean({ error: "must be true or false" }).optional(),
}).refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" });

export const LivePageOut = z.object({
  id: z.number(),
  application_id: z.number(),
  url: z.string(),
  enabled: z.boolean(),
  headline: z.string(),
  pitch: z.string(),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  show_match: z.boolean(),
  views: z.number(),
  link_clicks: z.number(),
});

export type CreateLivePageInput = z.output<typeof CreateLivePage>;
export type UpdateLivePageInput = z.output<typeof UpdateLivePage>;
