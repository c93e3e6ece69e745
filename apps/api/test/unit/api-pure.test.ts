// Pure pieces of the API: schema error wording, lifecycle rules, user activity, and the window-error renaming to snake_case.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { snakeMessage } from '../../src/campaigns/campaign-input.ts';
import { nextStatus } from '../../src/campaigns/lifecycle.ts';
import { createUserActivity } from '../../src/plugins/activity.ts';
import { checkAgainst, fieldName } from '../../src/plugins/validation.ts';

describe('schema errors', () => {
  const S = Type.Object({
    n: Type.Integer({ minimum: 1 }),
    maybe: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    list: Type.Optional(Type.Array(Type.Object({ phone: Type.String() }, { additionalProperties: false }))),
  }, { additionalProperties: false });

  it('names each field in the request\'s own terms and says what was sent', () => {
    const result = checkAgainst(S, { maybe: 0, list: [{ phone: 1 }, { phone: 'x', extra: true }], other: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(expect.arrayContaining([
      { field: 'n', message: 'is required' },
      { field: 'other', message: 'is not a known field' },
      { field: 'maybe', message: 'must be >= 1 (or null), got 0' },
      { field: 'list[0].phone', message: 'must be string, got 1' },
      { field: 'list[1].extra', message: 'is not a known field' },
    ]));
  });

  it('turns JSON pointers into readable paths', () => {
    expect(fieldName('', 'query')).toBe('query');
    expect(fieldName('/contacts/3/phone', 'body')).toBe('contacts[3].phone');
    expect(fieldName('/0/phone', 'body')).toBe('[0].phone');
    expect(fieldName('/a~1b', 'body')).toBe('a/b');
  });

  it('renames schedule-core\'s camelCase fields in its messages', () => {
    expect(snakeMessage('startDate', 'startDate must be on or before endDate, got startDate "b" after endDate "a"'))
      .toBe('must be on or before end_date, got start_date "b" after end_date "a"');
  });
});

describe('nextStatus', () => {
  it('moves, stays, or refuses', () => {
    expect(nextStatus('pause', 'active')).toBe('paused');
    expect(nextStatus('pause', 'paused')).toBeNull();
    expect(nextStatus('resume', 'paused')).toBe('active');
    expect(nextStatus('cancel', 'paused')).toBe('cancelled');
    expect(() => nextStatus('resume', 'cancelled')).toThrow('cancelled');
    expect(() => nextStatus('resume', 'completed')).toThrow('add contacts');
  });
});

describe('user activity', () => {
  it('is active for ten minutes after the last authenticated request', () => {
    const activity = createUserActivity();
    const t = new Date('2026-03-02T12:00:00Z');
    expect(activity.isActive(t)).toBe(false);
    activity.markActive(t);
    expect(activity.isActive(new Date(t.getTime() + 599_999))).toBe(true);
    expect(activity.isActive(new Date(t.getTime() + 600_000))).toBe(false);
  });
});
