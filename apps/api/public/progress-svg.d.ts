// Types for progress-svg.js, so the unit tests (TypeScript) can import the
// browser module. Not served to browsers.
import type { CampaignView } from './read-api-data.js';
export declare const SEGMENTS: { key: string; label: string; statuses: string[] }[];
export declare function progressCounts(stats: Record<string, number>): Record<'queued' | 'dialing' | 'completed' | 'failed' | 'other' | 'total', number>;
export declare function drawCampaignProgress(campaign: CampaignView, context: { now: number; axisTimeZone: string }): string;
export declare function countsText(stats: Record<string, number>): string;
