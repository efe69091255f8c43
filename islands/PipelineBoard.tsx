/**
 * The application pipeline board. Server-rendered as five columns of cards, each card with a small
 * "Move to" form that works without JavaScript (POST /applications/:id). Once hydrated, the same form
 * (or dragging a card onto a column) moves the card in place through `PATCH /api/applications/:id`,
 * and a live region announces the move for screen-reader and keyboard users.
 */
import { useState } from "preact/hooks";
import { allowedMoves, type ApplicationStatus, canMove, STATUS_LABELS, STATUSES } from "../lib/pipeline.ts";

export interface BoardCard {
  id: number;
  title: string;
  company: string;
  status: ApplicationStatus;
  match_score: number | null;
}

export default function PipelineBoard({ cards, csrfToken }: { cards: BoardCard[]; csrfToken: string }) {
  const [items, setItems] = useState(cards);
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState("");
  const [dragged, setDragged] = useState<number | null>(null);

  async function move(id: number, to: ApplicationStatus) {
    const card = items.find((c) => c.id === id);
    if (!card || card.status === to) return;
    if (!canMove(card.status, to)) {
      setMessage(`${card.title} cannot move from ${STATUS_LABELS[card.status]} to ${STATUS_LABELS[to]}.`);
      return;
    }
    setBusy(id);
    try {
      const res = await fetch(`/api/applications/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
        body: JSON.stringify({ status: to }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setMessage(`Could not move ${card.title}: ${body?.error?.message ?? res.statusText}.`);
        return;
      }
      setItems((all) => all.map((c) => (c.id === id ? { ...c, status: to } : c)));
      setMessage(`Moved ${card.title} to ${STATUS_LABELS[to]}.`);
      queueMicrotask(() => document.getElementById(`move-${id}`)?.focus());
    } catch {
      setMessage(`Could not move ${card.title}: the network failed. Try again.`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div>
      <p class="board-status" role="status" aria-live="polite">{message}</p>
      <div class="board">
        {STATUSES.map((status) => {
          const column = items.filter((c) => c.status === status);
          return (
            <section
              key={status}
              id={`column-${status}`}
              class={`column${dragged !== null && canDrop(items, dragged, status) ? " drop-target" : ""}`}
              aria-labelledby={`heading-${status}`}
              data-status={status}
              onDragOver={(e) => {
                if (dragged !== null && canDrop(items, dragged, status)) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragged !== null) move(dragged, status);
                setDragged(null);
              }}
            >
              <h2 id={`heading-${status}`}>
                {STATUS_LABELS[status]} <span class="muted">{column.length}</span>
              </h2>
              <ul class="cards">
                {column.map((card) => (
                  <li
                    key={card.id}
                    class={`card${busy === card.id ? " moving" : ""}`}
                    draggable
                    data-id={card.id}
                    onDragStart={() => setDragged(card.id)}
                    onDragEnd={() => setDragged(null)}
                  >
                    <h3>
                      <a href={`/applications/${card.id}`}>{card.title}</a>
                    </h3>
                    <div class="meta">
                      <span>{card.company}</span>
                      {card.match_score !== null && <span>match {card.match_score}</span>}
                    </div>
                    <form
                      method="post"
                      action={`/applications/${card.id}`}
                      class="move"
                      onSubmit={(e) => {
                        e.preventDefault();
                        const select = (e.currentTarget as HTMLFormElement).elements.namedItem("status");
                        move(card.id, (select as HTMLSelectElement).value as ApplicationStatus);
                      }}
                    >
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <input type="hidden" name="action" value="move" />
                      <input type="hidden" name="back" value="/applications" />
                      <label class="sr-only" for={`move-${card.id}`}>Move {card.title} to</label>
                      <select id={`move-${card.id}`} name="status" disabled={busy === card.id}>
                        {allowedMoves(card.status).map((to) => (
                          <option key={to} value={to}>{STATUS_LABELS[to]}</option>
                        ))}
                      </select>
                      <button type="submit" class="button-small button-secondary" disabled={busy === card.id}>
                        Move
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}

function canDrop(items: BoardCard[], id: number, to: ApplicationStatus): boolean {
  const card = items.find((c) => c.id === id);
  return !!card && card.status !== to && canMove(card.status, to);
}
