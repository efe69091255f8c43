import type { Handlers, PageProps } from "@/fresh/types.ts";
import type { TestState } from "@/fresh/testdata/app/state.ts";

export const handler: Handlers<TestState> = {
  GET(ctx) {
    return ctx.render({ id: ctx.params.id }, { headers: { "x-user": ctx.params.id } });
  },
};

export default function User({ data, state }: PageProps<{ id: string }, TestState>) {
  return <p id="user">user {data.id} trail {state.trail.join(">")}</p>;
}
