import Counter from "@/fresh/testdata/app/islands/Counter.tsx";

export default function BadIslandPage() {
  // deno-lint-ignore no-explicit-any
  const props: any = { start: 1, label: "x", onPick: () => {} };
  return <Counter {...props} />;
}
