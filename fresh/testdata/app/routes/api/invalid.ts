import { HttpError } from "@/core/http_error.ts";

export const handler = {
  POST(): Response {
    throw new HttpError(422, "invalid values", { fields: { email: "required" } });
  },
};
