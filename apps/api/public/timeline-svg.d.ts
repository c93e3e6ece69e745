// Types for timeline-svg.js, so the unit tests (TypeScript) can import the
// browser module. Not served to browsers.
import type { PlanInterval, PlanWake } from './read-api-data.js';
export interface TimelineModel {
  rows: { id: string; name: string; timezone: string | null; intervals: PlanInterval[] }[];
  wakes: PlanWake[];
  now: number;
  dayStarts: number[];
  axisTimeZone: string;
}
export declare function localDayStarts(now: number, days?: number): number[];
export declare function drawTimeline(model: TimelineModel): string;
export declare function describeTimeline(model: Omit<TimelineModel, 'now'>): string;
