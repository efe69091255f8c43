import { HttpError } from "@/core/http_error.ts";

export const handler = {
  GET(): Response {
    throw new HttpError(429, "slow down", { headers: { "retry-after": "7" } });
  },
};
