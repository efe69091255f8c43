import type { Handlers } from "../../../types.ts";

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
