import { describe, expect, it } from 'vitest';
import { ConfigError, EnvReader } from '../src/env.ts';

describe('EnvReader', () => {
  it('reads values with defaults', () => {
    const r = new EnvReader({ A: '12', B: 'false', C: ' x , y ,', D: '' });
    expect(r.int('A', 1)).toBe(12);
    expect(r.bool('B', true)).toBe(false);
    expect(r.list('C')).toEqual(['x', 'y']);
    expect(r.string('D', 'fallback')).toBe('fallback');
    expect(r.finish({ ok: 1 })).toEqual({ ok: 1 });
  });

  it('reports every problem at once, naming the variable and the value', () => {
    const r = new EnvReader({ PORT: 'abc', FLAG: 'maybe', URL: 'not a url', LEVEL: 'loud', N: '0' });
    r.int('PORT', 3000, { min: 1, max: 65535 });
    r.bool('FLAG', true);
    r.url('URL');
    r.oneOf('LEVEL', ['info', 'debug'], 'info');
    r.int('N', 5, { min: 1 });
    try {
      r.finish({});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual([
        'PORT must be an integer >= 1 and <= 65535, got "abc"',
        'FLAG must be true or false, got "maybe"',
        'URL must be a URL, got "not a url"',
        'LEVEL must be one of info, debug, got "loud"',
        'N must be an integer >= 1, got "0"',
      ]);
    }
  });

  it('freezes the result', () => {
    const config = new EnvReader({}).finish({ a: 1 });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
