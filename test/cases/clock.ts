/** A clock tests move by hand: expiry and purge are driven through it, never by sleeping. */
export function manualClock(start = Date.UTC(2026, 10, 27, 12)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
