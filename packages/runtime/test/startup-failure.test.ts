import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/env.ts';
import { describeStartupFailure, StartupError } from '../src/startup-failure.ts';

describe('describeStartupFailure', () => {
  it('gives every configuration problem its own line and exit code 2', () => {
    expect(describeStartupFailure(new ConfigError(['PORT must be …', 'API_TOKENS is required …']))).toEqual({
      lines: ['invalid configuration: PORT must be …', 'invalid configuration: API_TOKENS is required …'], exitCode: 2,
    });
  });

  it('gives a start-up error its one sentence, with no stack, and exit code 1', () => {
    const error = new StartupError('the port is taken: set EMBEDDED_PG_PORT');
    expect(error.stack).toBe('StartupError: the port is taken: set EMBEDDED_PG_PORT');
    expect(describeStartupFailure(error)).toEqual({ lines: ['the port is taken: set EMBEDDED_PG_PORT'], exitCode: 1 });
  });

  it('turns a port in use into a sentence naming the fix', () => {
    const error = Object.assign(new Error('listen EADDRINUSE'), { syscall: 'listen', code: 'EADDRINUSE', address: '127.0.0.1', port: 3000 });
    expect(describeStartupFailure(error)).toEqual({
      lines: ['cannot listen on 127.0.0.1:3000: the port is in use; stop what holds it or choose another port'], exitCode: 1,
    });
  });

  it('keeps the stack of anything else: that is a bug', () => {
    const failure = describeStartupFailure(new TypeError('x is undefined'));
    expect(failure.exitCode).toBe(1);
    expect(failure.lines[0]).toMatch(/^failed to start: TypeError: x is undefined\n\s+at /);
  });
});
