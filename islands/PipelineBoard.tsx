/**
 * The application pipeline board. Server-rendered as five columns of cards, each card with a small
 * "Move to" form that works without JavaScript (POST /applications/:id), offering the next stage first.
 * Once hydrated, the same form, or dragging a card onto a column, moves the card in place through
 * `PATCH /api/applications/:id`, and a live region announces the move for screen-reader and keyboard
 * users. Dragging uses pointer events (mouse, pen and touch alike; HTML5 drag and drop does nothing on
 * touch screens): a mouse drags the card from anywhere but its controls, a finger from its handle (which
 * alone sets `touch-action: none`, so the page still scrolls under a finger elsewhere).
 */
import { useRef, useState } from "preact/hooks";
import {
  allowedMoves,
  type ApplicationStatus,
  canMove,
  nextStage,
  STATUS_LABELS,
  STATUSES,
} from "@/core/pipeline.ts";

export interface BoardCard {
  id: number;
  title: string;
  company: string;
  status: ApplicationStatus;
  match_score: number | null;
  /** The pay as shown (the offer's salary once there is one, else the job's range); null when unknown. */
  salary: string | null;
  /** The next thing that happens, already formatted in the user's time zone. */
  next: { label: string; when: string } | null;
}

/** Pixels a pointer must travel before a press becomes a drag (a click stays a click). */
const DRAG_THRESHOLD = 6;

export default function PipelineBoard({ cards, csrfToken }: { cards: BoardCard[]; csrfToken: string }) {
  const [items, setItems] = useState(cards);
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState("");
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<ApplicationStatus | null>(null);
  /** Set for the click that ends a drag, so dropping a card by its title does not follow the link. */
  const justDragged = useRef(false);
  const press = useRef<{ id: number; x: number; y: number; pointer: number; dragging: boolean } | null>(null);

  /** The column under a viewport point. */
  function columnAt(x: number, y: number): ApplicationStatus | null {
    const el = document.elementFromPoint(x, y)?.closest("[data-status]");
    return (el?.getAttribute("data-status") as ApplicationStatus | null) ?? null;
  }

  function onPointerDown(e: PointerEvent, card: BoardCard) {
    const target = e.target as HTMLElement;
    const handle = target.closest(".drag-handle");
    if (
      e.button !== 0 || (!handle && (e.pointerType !== "mouse" || target.closest("select, button, input")))
    ) {
      return;
    }
    press.current = { id: card.id, x: e.clientX, y: e.clientY, pointer: e.pointerId, dragging: false };
    // Followed on the window, not the card: the pointer leaves the card as soon as it moves to a column.
    const up = (ev: PointerEvent) => {
      globalThis.removeEventListener("pointermove", onPointerMove);
      globalThis.removeEventListener("pointerup", up);
      globalThis.removeEventListener("pointercancel", cancel);
      onPointerUp(ev);
    };
    const cancel = () => {
      globalThis.removeEventListener("pointermove", onPointerMove);
      globalThis.removeEventListener("pointerup", up);
      globalThis.removeEventListener("pointercancel", cancel);
      onPointerCancel();
    };
    globalThis.addEventListener("pointermove", onPointerMove);
    globalThis.addEventListener("pointerup", up);
    globalThis.addEventListener("pointercancel", cancel);
  }

  function onPointerMove(e: PointerEvent) {
    const p = press.current;
    if (!p || p.pointer !== e.pointerId) return;
    if (!p.dragging && Math.hypot(e.clientX - p.x, e.clientY - p.y) < DRAG_THRESHOLD) return;
    if (!p.dragging) {
      p.dragging = true;
      setDragged(p.id);
    }
    e.preventDefault();
    setOver(columnAt(e.clientX, e.clientY));
  }

  function onPointerUp(e: PointerEvent) {
    const p = press.current;
    press.current = null;
    if (!p || p.pointer !== e.pointerId) return;
    if (p.dragging) {
      justDragged.current = true;
      setTimeout(() => (justDragged.current = false), 0);
      const to = columnAt(e.clientX, e.clientY);
      if (to) move(p.id, to);
    }
    setDragged(null);
    setOver(null);
  }

  function onPointerCancel() {
    press.current = null;
    setDragged(null);
    setOver(null);
  }

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
              class={`column${dragged !== null && canDrop(items, dragged, status) ? " drop-target" : ""}${
                over === status ? " drop-over" : ""
              }`}
              aria-labelledby={`heading-${status}`}
              data-status={status}
            >
              <h2 id={`heading-${status}`}>
                {STATUS_LABELS[status]} <span class="muted">{column.length}</span>
              </h2>
              <ul class="cards">
                {column.map((card) => (
                  <li
                    key={card.id}
                    class={`card${busy === card.id ? " moving" : ""}${
                      dragged === card.id ? " dragging" : ""
                    }`}
                    data-id={card.id}
                    onPointerDown={(e) => onPointerDown(e, card)}
                    onDragStart={(e) => e.preventDefault()}
                    onClickCapture={(e) => {
                      if (justDragged.current) e.preventDefault();
                    }}
                  >
                    <span class="drag-handle" aria-hidden="true" title="Drag to another column">⠿</span>
                    <h3>
                      {/* not natively draggable: a link drag would cancel the pointer drag */}
                      <a href={`/applications/${card.id}`} draggable={"false" as unknown as boolean}>
                        {card.title}
                      </a>
                    </h3>
                    <div class="meta">
                      <span>{card.company}</span>
                      {card.match_score !== null && <span>match {card.match_score}</span>}
                      {card.salary && <span class="salary">{card.salary}</span>}
                    </div>
                    {card.next && (
                      <p class="next-step">
                        Next: {card.next.label} · <time>{card.next.when}</time>
                      </p>
                    )}
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
                          <option key={to} value={to} selected={to === nextStage(card.status)}>
                            {STATUS_LABELS[to]}
                          </option>
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
