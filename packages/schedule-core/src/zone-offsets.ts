// UTC offsets of an IANA time zone, cached between transitions.
//
// Asking Intl (through luxon) for an offset costs microseconds, so each zone
// keeps a lazily built table of constant-offset segments, one 7-day chunk at a
// time. A chunk samples the offset once a day and pins every change it sees
// to the exact second by bisection (offsets are constant within a second).
// Invariant: two transitions closer together than a day would be missed; the
// tz database has none since 1900. Offsets are in milliseconds, local = utc +
// offset. Nothing here reads the host's time zone.
import { IANAZone } from 'luxon';
import { MS_PER_DAY } from './civil-date.ts';
import { MAX_INSTANT_MS } from './instant.ts';

const CHUNK_MS = 7 * MS_PER_DAY;
const SAMPLE_MS = MS_PER_DAY;
const MAX_CACHED_CHUNKS = 20_000;
/** No zone is, or was, more than this far from UTC. */
export const MAX_ABS_OFFSET_MS = 26 * 3_600_000;

interface Chunk {
  readonly starts: number[]; // starts[0] is the chunk's first instant
  readonly offsets: number[]; // offsets[i] holds from starts[i] to starts[i + 1] (or end)
  readonly end: number;
}

/** Visits a constant-offset piece [start, end); returning true stops the walk. */
export type SegmentVisitor = (start: number, end: number, offset: number) => boolean | void;

export class ZoneOffsets {
  private readonly chunks = new Map<number, Chunk>();
  // The piece found by the last locate(): most lookups land in it again.
  private pieceStart = 0;
  private pieceEnd = 0;
  private pieceOffset = 0;
  // The last nextChangeAfter answer: the offset is constant on [changeFrom, changeAt).
  private changeFrom = 0;
  private changeAt = 0;
  private changeLimit = 0;

  constructor(
    readonly name: string,
    private readonly zone: IANAZone,
  ) {}

  offsetAt(t: number): number {
    this.locate(t);
    return this.pieceOffset;
  }

  /** First instant after `t` at which the cached piece holding `t` ends (a transition or a chunk edge). */
  segmentEnd(t: number): number {
    this.locate(t);
    return this.pieceEnd;
  }

  /** Walks the constant-offset pieces overlapping [t0, t1) in time order. */
  forEachSegment(t0: number, t1: number, visit: SegmentVisitor): void {
    for (let t = t0; t < t1; t = this.pieceEnd) {
      this.locate(t);
      if (visit(this.pieceStart, this.pieceEnd, this.pieceOffset) === true) return;
    }
  }

  /** The first instant after `t` (and before `limit`) at which the offset differs from the one at `t`; `limit` if none. */
  nextChangeAfter(t: number, limit: number): number {
    if (t >= this.changeFrom && t < this.changeAt) {
      if (this.changeAt < this.changeLimit) return Math.min(this.changeAt, limit);
      if (limit <= this.changeLimit) return limit;
    }
    const offset = this.offsetAt(t);
    let cursor = this.pieceEnd;
    while (cursor < limit && this.offsetAt(cursor) === offset) cursor = this.pieceEnd;
    this.changeFrom = t;
    this.changeAt = Math.min(cursor, limit);
    this.changeLimit = limit;
    return this.changeAt;
  }

  /** Largest offset in force at any instant of [t0, t1]. */
  maxOffsetBetween(t0: number, t1: number): number {
    let max = this.offsetAt(t0);
    for (let t = this.pieceEnd; t <= t1; t = this.pieceEnd) max = Math.max(max, this.offsetAt(t));
    return max;
  }

  /** Sets pieceStart, pieceEnd and pieceOffset to the piece holding `t`. */
  private locate(t: number): void {
    if (t >= this.pieceStart && t < this.pieceEnd) return;
    const chunk = this.chunkAt(Math.floor(t / CHUNK_MS));
    const starts = chunk.starts;
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > t) i--;
    this.pieceStart = starts[i]!;
    this.pieceEnd = starts[i + 1] ?? chunk.end;
    this.pieceOffset = chunk.offsets[i]!;
  }

  private chunkAt(index: number): Chunk {
    let chunk = this.chunks.get(index);
    if (!chunk) {
      if (this.chunks.size >= MAX_CACHED_CHUNKS) this.chunks.clear();
      chunk = this.buildChunk(index);
      this.chunks.set(index, chunk);
    }
    return chunk;
  }

  private buildChunk(index: number): Chunk {
    const start = index * CHUNK_MS;
    const end = start + CHUNK_MS;
    const starts = [start];
    const offsets = [this.rawOffset(start)];
    let previous = start;
    let previousOffset = offsets[0]!;
    for (let sample = start + SAMPLE_MS; sample <= end; sample += SAMPLE_MS) {
      const offset = this.rawOffset(sample);
      let cursor = previous;
      let cursorOffset = previousOffset;
      while (cursorOffset !== offset) {
        const change = this.firstChange(cursor, sample, cursorOffset);
        cursorOffset = this.rawOffset(change);
        if (change < end) {
          starts.push(change);
          offsets.push(cursorOffset);
        }
        cursor = change;
      }
      previous = sample;
      previousOffset = offset;
    }
    return { starts, offsets, end };
  }

  /** Bisects to the whole second in (lo, hi] where the offset first differs from `offsetAtLo`. */
  private firstChange(lo: number, hi: number, offsetAtLo: number): number {
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.rawOffset(mid) === offsetAtLo) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  private rawOffset(t: number): number {
    const clamped = Math.min(Math.max(t, -MAX_INSTANT_MS), MAX_INSTANT_MS);
    const minutes = this.zone.offset(clamped);
    // A NaN here would make the chunk builder spin; callers keep instants far inside Date's range.
    if (!Number.isFinite(minutes)) throw new RangeError(`no UTC offset for ${this.name} at ${t}`);
    return Math.round(minutes * 60) * 1000;
  }
}

const registry = new Map<string, ZoneOffsets>();

/** Whether `zone` names a time zone (IANA name or alias) that this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string') return false;
  let valid = validity.get(zone);
  if (valid === undefined) {
    // Offsets such as "+05:00" are not IANA names, even where Intl accepts them.
    valid = /^[A-Za-z]/.test(zone) && IANAZone.isValidZone(zone);
    if (validity.size >= 10_000) validity.clear();
    validity.set(zone, valid);
  }
  return valid;
}
const validity = new Map<string, boolean>();

/** The shared offset cache of a zone; throws a RangeError for an unknown zone. */
export function zoneOffsets(name: string): ZoneOffsets {
  let offsets = registry.get(name);
  if (!offsets) {
    if (!isValidTimeZone(name)) throw new RangeError(`unknown IANA time zone "${name}"`);
    offsets = new ZoneOffsets(name, IANAZone.create(name));
    registry.set(name, offsets);
  }
  return offsets;
}
