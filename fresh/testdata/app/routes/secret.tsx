import { HttpError } from "@/core/http_error.ts";

export const handler = {
  GET(): Response {
    throw new HttpError(403, "members only");
  },
};

export default function Secret() {
  return <p>never shown</p>;
}
