// A memo of when one rule (window ∩ hours) is callable, shared by every queue
// that follows that rule and kept between plans.
//
// The wake plan asks the same question ("first callable instant ≥ q") for up
// to 100,000 campaigns, most of which share a zone and window, and asks again
// on every wake. The first question for a rule computes its runs from `now`,
// run by run; later questions, in this plan or a later one, are answered by
// binary search. Runs are cached up to CACHED_SPAN_MS after the timeline was
// made; questions beyond are computed directly. Answers are exactly those of
// nextCallableAt, horizon included, so the memo never changes a result.
// Invariant: every callable instant in [now, coveredUntil) lies in `runs`, and
// questions are only asked for q ≥ now.
import {
  OVERLAP_HORIZON_MS,
  callableCloseAfter,
  nextCallableAt,
  searchCallable,
  type CallableRule,
} from './callable-search.ts';
import { MS_PER_DAY } from './civil-date.ts';
import type { CompiledWindow } from './compiled-window.ts';
import { nextOpenAt } from './window-runs.ts';

const CACHED_SPAN_MS = 8 * MS_PER_DAY;
/** A kept timeline serves plans up to this long after it was made, then is rebuilt. */
const REUSE_FOR_MS = 2 * MS_PER_DAY;

/** The timelines kept for one compiled window: without hours, and per "start-end@contactZone". */
export interface KeptTimelines {
  windowOnly: CallableTimeline | null;
  readonly withHours: Map<string, CallableTimeline>;
}

// Keyed by the compiled window, so timelines go when the window leaves the compile cache.
const kept = new WeakMap<CompiledWindow, KeptTimelines>();

export function keptTimelines(window: CompiledWindow): KeptTimelines {
  let timelines = kept.get(window);
  if (!timelines) {
    timelines = { windowOnly: null, withHours: new Map() };
    kept.set(window, timelines);
  }
  return timelines;
}

/** Whether a kept timeline can answer questions from `now` on. */
export function canServe(timeline: CallableTimeline | null | undefined, now: number): timeline is CallableTimeline {
  return timeline != null && now >= timeline.now && now - timeline.now < REUSE_FOR_MS;
}

export class CallableTimeline {
  private readonly runs: number[] = []; // flat pairs: start, end, start, end, …
  private coveredUntil: number;
  /**
   * Set once the search from the end of the last run found nothing: nothing
   * is callable from there up to emptyUntil (which later questions extend).
   */
  private emptyUntil: number | null = null;

  /** `windowTimeline` (the same window without hours, same `now`) answers "next window opening" quickly. */
  constructor(
    private readonly rule: CallableRule,
    readonly now: number,
    private readonly windowTimeline: CallableTimeline | null = null,
  ) {
    this.coveredUntil = now;
  }

  /** The earliest callable instant ≥ q (q ≥ now), or null when never. */
  firstCallableAtOrAfter(q: number): number | null {
    while (q >= this.coveredUntil && this.coveredUntil - this.now < CACHED_SPAN_MS) this.extend();
    if (q >= this.coveredUntil) return nextCallableAt(this.rule, q);
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (runs[2 * mid + 1]! > q) hi = mid;
      else lo = mid + 1;
    }
    const start = runs[2 * lo];
    return start !== undefined ? Math.max(start, q) : this.afterExhausted(q);
  }

  /**
   * Past the last run of an exhausted rule, answers as nextCallableAt(q)
   * would: null unless something is callable before the horizon measured from
   * q's next window opening; only the part beyond emptyUntil is searched.
   */
  private afterExhausted(q: number): number | null {
    if (this.rule.hours === null) return nextOpenAt(this.rule.window, q);
    const windowOpen = this.windowTimeline ? this.windowTimeline.firstCallableAtOrAfter(q) : nextOpenAt(this.rule.window, q);
    if (windowOpen === null) return null;
    const limit = windowOpen + OVERLAP_HORIZON_MS;
    const emptyUntil = this.emptyUntil!;
    if (limit <= emptyUntil) return null;
    const found = searchCallable(this.rule, Math.max(emptyUntil, q), limit);
    if (found === null) this.emptyUntil = limit;
    return found;
  }

  private extend(): void {
    const start = nextCallableAt(this.rule, this.coveredUntil);
    if (start === null) {
      const windowOpen = nextOpenAt(this.rule.window, this.coveredUntil);
      this.emptyUntil = windowOpen === null ? Infinity : windowOpen + OVERLAP_HORIZON_MS;
      this.coveredUntil = Infinity;
      return;
    }
    const end = callableCloseAfter(this.rule, start)!;
    this.runs.push(start, end);
    this.coveredUntil = end;
  }
}
