// Types for markup.js, so the unit tests (TypeScript) can import the browser
// module. Not served to browsers.
export interface Markup { markup: string }
export type Child = Markup | string | number | null | undefined | false | Child[];
export declare function escapeXml(value: unknown): string;
export declare function el(name: string, attrs?: Record<string, string | number | boolean | null | undefined>, ...children: Child[]): Markup;
