// @wakeplan/schedule-core: pure calling-window math (DESIGN.md §4). When may a
// campaign call, when may a contact be called, and when must the worker wake;
// and the policy arithmetic that rides on it (DESIGN.md §6): calls_per_minute
// pacing slots and the decision after an attempt ends (retry, fail, expire; a provider's refusal backs off).
// Every function takes the instant it reasons about; nothing here reads the
// clock, the environment, the host's time zone, or does I/O.
export type { CallingWindow, FieldError, Interval, RecipientHours, Validation } from './types.ts';
export { isWindowOpen, nextWindowOpen, openIntervals, windowCloseAfter } from './window.ts';
export { validateWindow, validateWindowDetailed, windowLabel, type WindowField } from './window-validation.ts';
export { isValidTimeZone } from './zone-offsets.ts';
export { MAX_INSTANT_MS } from './instant.ts';
export { SEARCH_HORIZON_DAYS } from './window-runs.ts';
export { OVERLAP_HORIZON_MS } from './callable-search.ts';
export {
  isContactCallable,
  nextContactCallable,
  validateRecipientHours,
  validateRecipientHoursDetailed,
  type RecipientHoursField,
} from './recipient-hours.ts';
export {
  computeWakePlan,
  nextCampaignDue,
  type PendingGroup,
  type PlanCampaign,
  type PlanInput,
  type SkippedCampaign,
  type WakeDecision,
  type WakePlan,
  type WakeReason,
} from './wake-plan.ts';
export { grantPacingSlots, pacingReadyAt, type PacingGrant } from './pacing.ts';
export { decideAfterAttempt, windowHasEnded, type NextCallState, type RetryPolicy } from './retry-policy.ts';
export { decideAfterRefusal, MAX_CONSECUTIVE_REFUSALS, refusalBackoffMs } from './refusal-policy.ts';
export { awakeFromActivity, computeUsage, type AwakeInterval, type ComputeUsage } from './awake-model.ts';
