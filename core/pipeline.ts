/**
 * The application pipeline: statuses and the moves between them. Free of dependencies so the board island
 * can import it into the browser bundle.
 *
 * - forward any number of steps along saved → applied → interviewing → offer (a step may go untracked);
 * - back one step (undo a mistaken move);
 * - to rejected from any status; from rejected back to saved or applied (reopened);
 * - the same status again is a no-op.
 */
export const STATUSES = ["saved", "applied", "interviewing", "offer", "rejected"] as const;
export type ApplicationStatus = typeof STATUSES[number];

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  saved: "Saved",
  applied: "Applied",
  interviewing: "Interviewing",
  offer: "Offer",
  rejected: "Rejected",
};

const PIPELINE: ApplicationStatus[] = ["saved", "applied", "interviewing", "offer"];

/** The statuses an application in `from` may move to. */
export function allowedMoves(from: ApplicationStatus): ApplicationStatus[] {
  if (from === "rejected") return ["saved", "applied"];
  const at = PIPELINE.indexOf(from);
  return [...(at > 0 ? [PIPELINE[at - 1]] : []), ...PIPELINE.slice(at + 1), "rejected"];
}

/** The move a "Move" control offers first: the next stage along the pipeline (else the first allowed move). */
export function nextStage(from: ApplicationStatus): ApplicationStatus {
  const at = PIPELINE.indexOf(from);
  return at >= 0 && at + 1 < PIPELINE.length ? PIPELINE[at + 1] : allowedMoves(from)[0];
}

/** True when `from → to` is a move the pipeline allows (or no move at all). */
export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return from === to || allowedMoves(from).includes(to);
}
