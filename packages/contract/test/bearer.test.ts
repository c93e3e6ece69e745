// The bearer-token check shared by the API and the worker's doorbell: a valid
// token is named by a non-secret id, anything else is refused.
import { describe, expect, it } from 'vitest';
import { bearerHeader, createBearerMatcher } from '../src/bearer.ts';

describe('createBearerMatcher', () => {
  const match = createBearerMatcher(['alpha', 'beta']);
  it('identifies valid tokens by a non-secret id, and nothing else', () => {
    const id = match('Bearer alpha');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(id).not.toContain('alpha');
    expect(match('bearer beta')).not.toBe(id);
    expect(match(bearerHeader('beta'))).toMatch(/^[0-9a-f]{16}$/);
    for (const header of [undefined, '', 'alpha', 'Bearer', 'Bearer alph', 'Bearer alphaa', 'Basic alpha', 'Bearer alpha beta']) {
      expect(match(header)).toBeNull();
    }
    expect(createBearerMatcher([])('Bearer anything')).toBeNull();
  });
});
