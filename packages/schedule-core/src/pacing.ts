// calls_per_minute pacing, as pure arithmetic on `last_dial_at` (DESIGN.md §6).
//
// Dials use slots spaced ceil(60000/cpm) whole milliseconds apart (integer
// arithmetic only: the plan's "due at" and the claim's "slot free at" are the
// same millisecond, so a claim the plan calls due is never refused for a
// fraction of a millisecond — calls_per_minute 7 once left work with no wake); a claim may use the slots that
// have come due since the last one used, at most one second's worth (the burst,
// at least 1), so a campaign idle for an hour does not fire an hour's calls at
// once. `last_dial_at` stores the instant of the last slot used, which may lie
// slightly before the claim itself. Over any long stretch the rate never
// exceeds cpm. A campaign without pacing (cpm null) is unlimited here.
export interface PacingGrant {
  /** Slots granted now (≤ wanted). */
  count: number;
  /** The new last_dial_at when count > 0, else the old one. */
  lastSlotAt: Date | null;
  /** The first instant another slot is free (≤ at when count < wanted was limited elsewhere). */
  readyAt: Date;
}

function pacingIntervalMs(callsPerMinute: number): number {
  return Math.ceil(60_000 / callsPerMinute);
}

function pacingBurst(callsPerMinute: number): number {
  return Math.max(1, Math.floor(callsPerMinute / 60));
}

/** When the next slot is free, or null when the campaign is not paced or has never dialed. */
export function pacingReadyAt(callsPerMinute: number | null, lastDialAt: Date | null): Date | null {
  if (callsPerMinute === null || lastDialAt === null) return null;
  return new Date(lastDialAt.getTime() + pacingIntervalMs(callsPerMinute));
}

export function grantPacingSlots(callsPerMinute: number | null, lastDialAt: Date | null, at: Date, wanted: number): PacingGrant {
  const atMs = at.getTime();
  if (callsPerMinute === null) {
    return { count: wanted, lastSlotAt: wanted > 0 ? at : lastDialAt, readyAt: at };
  }
  const interval = pacingIntervalMs(callsPerMinute);
  const earliest = lastDialAt === null ? -Infinity : lastDialAt.getTime() + interval;
  const start = Math.max(earliest, atMs - (pacingBurst(callsPerMinute) - 1) * interval);
  if (start > atMs || wanted <= 0) return { count: 0, lastSlotAt: lastDialAt, readyAt: new Date(Math.max(start, atMs)) };
  const count = Math.min(wanted, Math.floor((atMs - start) / interval) + 1);
  const lastSlot = start + (count - 1) * interval;
  return { count, lastSlotAt: new Date(lastSlot), readyAt: new Date(lastSlot + interval) };
}
