/** The match score as a coloured badge; the category is spelled out, never conveyed by colour alone. */
export default function MatchBadge({ score, category }: { score: number; category: string }) {
  return (
    <span class={`badge badge-${category}`} title={`Match score ${score} of 100`}>
      {score} · {category}
    </span>
  );
}
