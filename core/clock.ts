/**
 * The time source of the app context. Code that decides by the time (send windows, caps, expiry) reads it
 * from `app.clock` so that a test can fix the time instead of waiting for it.
 */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers `at` (tests). */
export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime();
  return { now: () => new Date(time) };
}
