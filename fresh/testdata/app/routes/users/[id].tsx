import type { Handlers, PageProps } from "../../../../types.ts";
import type { TestState } from "../../state.ts";

export const handler: Handlers<TestState> = {
  GET(ctx) {
    return ctx.render({ id: ctx.params.id }, { headers: { "x-user": ctx.params.id } });
  },
};

export default function User({ data, state }: PageProps<{ id: string }, TestState>) {
  return <p id="user">user {data.id} trail {state.trail.join(">")}</p>;
}
