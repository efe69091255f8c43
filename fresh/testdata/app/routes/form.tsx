import type { Handlers } from "@/fresh/types.ts";

export const handler: Handlers = {
  GET(ctx) {
    return ctx.render();
  },
  POST() {
    return new Response("posted");
  },
};

export default function Form() {
  return <form method="post">form page</form>;
}
