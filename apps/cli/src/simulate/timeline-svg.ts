// `simulate --svg`: the simulated period as one picture — each campaign's open
// windows, then for the lower bound and each mode the periods the database was
// awake (wakes are where a bar starts), with day ticks. Plain SVG, no library;
// text escaped by the status page's own escape (@wakeplan/api/markup).
import { escapeXml } from '@wakeplan/api/markup';
import { openIntervals, type AwakeInterval as Interval } from '@wakeplan/schedule-core';
import type { ModeRun, SimMode } from './run-mode.ts';

export interface TimelineInput {
  title: string;
  startMs: number;
  endMs: number;
  campaigns: ModeRun['campaigns'];
  awake: Record<SimMode | 'lower_bound', Interval[]>;
  hours: Record<SimMode | 'lower_bound', number>;
}

const WIDTH = 1200;
const LABEL = 190;
const ROW = 26;
const COLOURS: Record<string, string> = { window: '#9ecae1', lower_bound: '#74c476', wakeplan: '#3182bd', window_polling: '#fd8d3c', polling: '#de2d26' };

export function timelineSvg(t: TimelineInput): string {
  const span = t.endMs - t.startMs;
  const x = (ms: number) => LABEL + ((Math.min(Math.max(ms, t.startMs), t.endMs) - t.startMs) / span) * (WIDTH - LABEL - 10);
  const rows: string[] = [];
  let y = 40;
  const bars = (intervals: { start: number; end: number }[], colour: string, label: string, tip: string) => {
    rows.push(`<text x="8" y="${y + 16}" font-size="12">${escapeXml(label)}</text>`);
    for (const i of intervals) {
      if (i.end <= t.startMs || i.start >= t.endMs) continue;
      const w = Math.max(1, x(i.end) - x(i.start));
      rows.push(`<rect x="${x(i.start).toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${colour}"><title>${escapeXml(`${tip}: ${new Date(i.start).toISOString()} – ${new Date(i.end).toISOString()}`)}</title></rect>`);
    }
    y += ROW;
  };
  for (const c of t.campaigns) {
    const open = openIntervals(c.window, new Date(t.startMs), new Date(t.endMs)).map((i) => ({ start: i.start.getTime(), end: i.end.getTime() }));
    bars(open, COLOURS.window!, `${String(c.fields.name ?? c.id)} window`, 'open');
  }
  for (const key of ['lower_bound', 'wakeplan', 'window_polling', 'polling'] as const) {
    if (!t.awake[key]) continue;
    bars(t.awake[key], COLOURS[key]!, `${key.replace('_', ' ')} (${t.hours[key].toFixed(1)} h)`, 'database awake');
  }
  const ticks: string[] = [];
  for (let d = Math.ceil(t.startMs / 86_400_000) * 86_400_000; d <= t.endMs; d += 86_400_000) {
    ticks.push(`<line x1="${x(d).toFixed(1)}" y1="30" x2="${x(d).toFixed(1)}" y2="${y}" stroke="#ccc"/><text x="${(x(d) + 2).toFixed(1)}" y="${y + 14}" font-size="10" fill="#666">${new Date(d).toISOString().slice(5, 10)} UTC</text>`);
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escapeXml(t.title)}</text>`,
    ...ticks, ...rows, '</svg>',
  ].join('\n');
}
