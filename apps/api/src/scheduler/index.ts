// @wakeplan/api/scheduler: the scheduler status and the plan preview as the
// API's routes compute them, for `wakeplan status` and `wakeplan plan` (the CLI
// prints the same data as GET /api/scheduler/status and /plan).
export { MAX_PREVIEW_DAYS, previewPlan, type PlanPreview } from './plan-preview.ts';
export { computeSchedulerStatus, type SchedulerStatus } from './status.ts';
