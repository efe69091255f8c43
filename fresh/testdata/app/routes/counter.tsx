import Counter from "@/fresh/testdata/app/islands/Counter.tsx";

/** A prop that would break out of a script element if it were not escaped. */
const LABEL = "</script><!--x\u2028y";

export default function CounterPage() {
  return (
    <main>
      <h1>Counter page</h1>
      <Counter start={3} label={LABEL} since={new Date("2026-01-02T03:04:05.000Z")} />
    </main>
  );
}
