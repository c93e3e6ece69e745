// Wakes owed to refused claims: the earliest wins over the plan's, a campaign
// keeps only its latest refusal, and one whose time has come is handed back
// (and forgotten) rather than slept on.
import { describe, expect, it } from 'vitest';
import { RefusalWakes } from '../src/refusal-wakes.ts';

const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 15, 0, s));

describe('RefusalWakes', () => {
  it('comes before the plan only when it is earlier; latest refusal per campaign wins', () => {
    const book = new RefusalWakes();
    const planned = { at: at(30), reason: 'campaign_window' as const, campaignId: 'b' };
    expect(book.earlierThan(planned)).toBe(planned);
    expect(book.earlierThan(null)).toBeNull();
    book.note('a', at(10));
    book.note('a', at(20));
    expect(book.earlierThan(planned)).toEqual({ at: at(20), reason: 'claim_refused', campaignId: 'a' });
    expect(book.earlierThan({ ...planned, at: at(5) })).toEqual({ ...planned, at: at(5) });
    book.forget('a');
    expect(book.earlierThan(null)).toBeNull();
  });

  it('hands back refusals whose time has come, once', () => {
    const book = new RefusalWakes();
    book.note('a', at(10));
    book.note('b', at(40));
    expect(book.takeDue(at(9))).toEqual([]);
    expect(book.takeDue(at(10))).toEqual(['a']);
    expect(book.takeDue(at(10))).toEqual([]);
    expect(book.earlierThan(null)).toMatchObject({ campaignId: 'b' });
    book.clear();
    expect(book.earlierThan(null)).toBeNull();
  });
});
