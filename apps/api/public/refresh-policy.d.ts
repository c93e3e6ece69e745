// Types for refresh-policy.js, so the unit tests (TypeScript) can import the
// browser module. Not served to browsers.
export declare const IDLE_AFTER_MS: number;
export declare const REFRESH_EVERY_MS: number;
export declare const MIN_IDLE_AFTER_MS: number;
export declare function shouldRefresh(input: { visible: boolean; lastInteractionAt: number; now: number; idleAfterMs?: number }): boolean;
export declare function msUntilIdle(input: { lastInteractionAt: number; now: number; idleAfterMs?: number }): number;
export declare function idleAfterMsFrom(search: string): number;
