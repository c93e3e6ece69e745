// Reading configuration from environment variables, the one way all apps do it.
//
// Invariants: an EnvReader never throws while reading; it collects every problem
// (naming the variable and the bad value) and `finish()` throws them all at once,
// so a misconfigured deployment is fixed in one round. The result is frozen.
// A ConfigError is printed as one line per problem, never with a stack
// (startup-failure.ts), and ends the process with exit code 2.
type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.stack = `${this.name}: ${this.message}`;
  }
}

export class EnvReader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    const { min = -Infinity, max = Infinity } = range;
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      const bounds = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
      this.problems.push(`${name} must be an integer${bounds ? ` ${bounds}` : ''}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  /** A decimal number (prices, compute sizes). */
  number(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    const { min = -Infinity, max = Infinity } = range;
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(raw) || n < min || n > max) {
      const bounds = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
      this.problems.push(`${name} must be a number${bounds ? ` ${bounds}` : ''}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${this.raw(name)}"`);
    return fallback;
  }

  url(name: string, fallback?: string): string | undefined {
    const raw = this.raw(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      this.problems.push(`${name} must be a URL, got "${raw}"`);
      return undefined;
    }
  }

  list(name: string): string[] {
    return (this.raw(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  /** Records a problem found by the caller's own cross-field checks. */
  problem(message: string): void {
    this.problems.push(message);
  }

  finish<T extends object>(config: T): Readonly<T> {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return Object.freeze(config);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Development-only defaults for the shared secrets, so `npm start` works with no
 * configuration: the API and the worker must agree on them. Production requires
 * real values (each app's config refuses to start without them).
 */
export const DEV_SECRETS = Object.freeze({
  wakeToken: 'wakeplan-dev-wake-token',
  providerEventsSecret: 'wakeplan-dev-events-secret',
});
