// Types for read-api-data.js, so the unit tests (TypeScript) can import the
// browser module. Not served to browsers.
export interface PlanInterval { start: number; end: number }
export interface PlanWake { at: number; reason: string | null; campaignId: string | null }
export interface PlanCampaign { id: string; name: string | null; timezone: string | null; intervals: PlanInterval[] }
export interface CampaignView {
  id: string; name: string; status: string; timezone: string | null; window: string | null;
  stats: Record<string, number>; nextOpenAt: number | null;
}
export declare function readPlan(data: unknown): { campaigns: PlanCampaign[]; wakes: PlanWake[]; nextWake: PlanWake | null };
export declare function readCampaigns(data: unknown): CampaignView[];
export declare function readCounters(status: unknown): [string, number][];
