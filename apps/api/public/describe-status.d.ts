// Types for describe-status.js, so the unit tests (TypeScript) can import the
// browser module. Not served to browsers.
export declare function formatDuration(ms: number): string;
export declare function formatInstant(iso: string, timeZone: string, now?: number): string;
export declare function describeWorker(status: unknown, context: { now: number; timeZone: string }): { state: string; headline: string; detail: string };
export declare function describeNextWake(status: unknown, context: { now: number; timeZone: string }): string;
export declare function humanizeKey(key: string): string;
