// The status page's drawings: markup is escaped (campaign names are user input),
// the timeline marks windows, wakes and now with titles and no inline styles
// (the CSP forbids them), API payloads are read tolerantly, progress adds up.
import { describe, expect, it } from 'vitest';
import { el, escapeXml } from '../../public/markup.js';
import { describeTimeline, drawTimeline, localDayStarts } from '../../public/timeline-svg.js';
import { describeShown, readCampaigns, readCounters, readPlan } from '../../public/read-api-data.js';
import { countsText, drawCampaignProgress, progressCounts } from '../../public/progress-svg.js';

const UTC = 'UTC';
const day = 86_400_000;
const start = Date.parse('2026-03-02T00:00:00Z');
const dayStarts = Array.from({ length: 8 }, (_, i) => start + i * day);
const h = (hours: number) => start + hours * 3_600_000;

describe('markup', () => {
  it('escapes text and attribute values, and inserts only built markup raw', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(el('text', { x: 1.5, class: 'a"b', hidden: false }, '<b>', el('tspan', {}, 'ok')).markup)
      .toBe('<text x="1.5" class="a&quot;b">&lt;b&gt;<tspan>ok</tspan></text>');
  });
});

describe('drawTimeline', () => {
  const model = {
    rows: [{ id: 'c1', name: 'Spring <script>alert(1)</script>', timezone: 'America/New_York', intervals: [{ start: h(14), end: h(22) }, { start: h(38), end: h(46) }] }],
    wakes: [{ at: h(14), reason: 'window_opens', campaignId: 'c1' }, { at: h(38), reason: null, campaignId: 'c1' }],
    now: h(12),
    dayStarts,
    axisTimeZone: UTC,
  };

  it('draws one bar per open window, one marker per wake, a now line and day ticks, each with a title', () => {
    const svg = drawTimeline(model);
    expect(svg.match(/class="open-window"/g)).toHaveLength(2);
    expect(svg.match(/class="wake-mark"/g)).toHaveLength(2);
    expect(svg.match(/class="now-line"/g)).toHaveLength(1);
    expect(svg.match(/class="day-tick"/g)).toHaveLength(7);
    expect(svg).toContain('Planned wake Mon 2 Mar 09:00 America/New_York for Spring');
    expect(svg).toContain('open Mon 2 Mar 09:00–17:00 America/New_York');
    expect(svg).toContain('role="img"');
  });

  it('escapes campaign names and uses no inline style', () => {
    const svg = drawTimeline(model);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toMatch(/style=/);
  });

  it('says what it shows in words', () => {
    expect(describeTimeline(model)).toBe('Mon 2 to Sun 8 (UTC). Spring <script>alert(1)</script>: 2 open windows. 2 planned wakes. The first is Mon 2 Mar 14:00 UTC.');
  });

  it('draws an empty chart without campaigns', () => {
    expect(drawTimeline({ ...model, rows: [], wakes: [] })).toContain('No active campaigns');
  });

  it('starts the axis at the local midnight of today, 7 days long', () => {
    const days = localDayStarts(Date.now(), 7);
    expect(days).toHaveLength(8);
    for (const d of days) expect(new Date(d).getHours()).toBe(0);
  });
});

describe('reading API payloads', () => {
  it('reads the plan preview: open windows per campaign, wakes merged and sorted', () => {
    const plan = readPlan({
      next_wake: { at: '2026-03-02T09:00:00Z', reason: 'campaign_due', campaign_id: 'c1' },
      campaigns: [{
        id: 'c1', name: 'A', timezone: UTC,
        open_windows: [{ start: '2026-03-02T09:00:00Z', end: '2026-03-02T17:00:00Z' }, { start: 'bad', end: 'x' }],
        wakes: ['2026-03-02T09:00:00Z', '2026-03-03T09:00:00Z'],
      }],
      wakes: [{ at: '2026-03-02T09:00:00Z', reason: 'campaign_due', campaign_id: 'c1' }, { at: '2026-03-02T08:00:00Z', reason: 'direct_call', campaign_id: null }],
    });
    expect(plan.campaigns[0]!.intervals).toEqual([{ start: Date.parse('2026-03-02T09:00:00Z'), end: Date.parse('2026-03-02T17:00:00Z') }]);
    expect(plan.wakes.map((w) => [new Date(w.at).toISOString(), w.reason, w.campaignId])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'direct_call', null],
      ['2026-03-02T09:00:00.000Z', 'campaign_due', 'c1'],
      ['2026-03-03T09:00:00.000Z', 'campaign_due', 'c1'],
    ]);
    expect(plan.nextWake?.campaignId).toBe('c1');
    expect(plan.total).toBeNull();
    expect(readPlan({ campaigns: [], campaigns_total: 12 }).total).toBe(12);
  });

  it('says "showing N of M" only when the API sent one page of a longer list', () => {
    expect(describeShown(50, 10_000)).toBe('showing 50 of 10,000 campaigns');
    expect(describeShown(3, 3)).toBe('');
    expect(describeShown(3, undefined)).toBe('');
  });

  it('tolerates a missing or empty payload', () => {
    expect(readPlan(null)).toEqual({ campaigns: [], total: null, wakes: [], nextWake: null });
    expect(readCampaigns(undefined)).toEqual([]);
    expect(readCounters({})).toEqual([]);
  });

  it('reads campaigns with their stats (without the total) and next opening', () => {
    const [c] = readCampaigns({ campaigns: [{ id: 'c1', name: 'A', status: 'active', timezone: UTC, window: '09:00-17:00', stats: { queued: 3, total: 3, bogus: 'x' }, next_open_at: '2026-03-02T09:00:00Z' }] });
    expect(c).toEqual({ id: 'c1', name: 'A', status: 'active', timezone: UTC, window: '09:00-17:00', stats: { queued: 3 }, nextOpenAt: Date.parse('2026-03-02T09:00:00Z') });
  });

  it('reads the activity numbers of the status, and published counters when present', () => {
    expect(readCounters({ callsInFlight: 2, directCallsQueued: 0 })).toEqual([['callsInFlight', 2], ['directCallsQueued', 0]]);
    expect(readCounters({ callsInFlight: 1, workerCounters: { wakes: 4, note: 'x' } })).toEqual([['callsInFlight', 1], ['wakes', 4]]);
  });
});

describe('campaign progress', () => {
  const stats = { queued: 40, dialing: 1, in_progress: 1, completed: 5, failed: 3, cancelled: 2, expired: 0, total: 52 };

  it('groups states into the bar segments and counts the rest as other', () => {
    expect(progressCounts(stats)).toEqual({ queued: 40, dialing: 2, completed: 5, failed: 3, other: 2, total: 52 });
    expect(countsText(stats)).toBe('40 queued · 2 dialing · 5 completed · 3 failed · 2 cancelled');
  });

  it('draws a labelled bar with a title per segment', () => {
    const html = drawCampaignProgress({ id: 'c1', name: 'A & B', status: 'active', timezone: UTC, window: '09:00–17:00', stats, nextOpenAt: null }, { now: start, axisTimeZone: UTC });
    expect(html).toContain('A &amp; B');
    expect(html).toContain('aria-label="19% done: 40 queued');
    expect(html.match(/<title>/g)).toHaveLength(5);
    expect(html).not.toMatch(/style=/);
  });
});
