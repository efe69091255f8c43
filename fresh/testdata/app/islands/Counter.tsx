import { useState } from "preact/hooks";

export interface CounterProps {
  start: number;
  label: string;
  since?: Date;
}

export default function Counter({ start, label, since }: CounterProps) {
  const [count, setCount] = useState(start);
  return (
    <div class="counter">
      <span id="label">{label}</span>
      <span id="since">{since instanceof Date ? since.toISOString() : "no date"}</span>
      <output id="count">{count}</output>
      <button type="button" id="inc" onClick={() => setCount(count + 1)}>+1</button>
    </div>
  );
}
