import { HttpError } from "@/core/http_error.ts";

export const handler = {
  GET(): Response {
    throw new HttpError(404, "that job was removed");
  },
};
