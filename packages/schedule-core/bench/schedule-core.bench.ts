// Benchmark: nextWindowOpen calls per second on random windows, and the time
// to compute the wake plan over 100,000 campaigns (target: under 100 ms).
// Run: npx tsx packages/schedule-core/bench/schedule-core.bench.ts
// Inputs come from a seeded generator, so runs are comparable.
import { computeWakePlan, nextWindowOpen, type CallingWindow, type PlanCampaign } from '../src/index.ts';

const ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix',
  'America/Anchorage', 'Pacific/Honolulu', 'America/Toronto', 'America/Mexico_City', 'America/Sao_Paulo',
  'America/Santiago', 'America/Havana', 'America/St_Johns', 'America/Bogota', 'Europe/London',
  'Europe/Dublin', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Athens', 'Europe/Moscow',
  'Africa/Casablanca', 'Africa/Lagos', 'Africa/Johannesburg', 'Asia/Beirut', 'Asia/Dubai', 'Asia/Tehran',
  'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Dhaka', 'Asia/Bangkok', 'Asia/Singapore', 'Asia/Shanghai',
  'Asia/Tokyo', 'Australia/Sydney', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Pacific/Auckland',
  'Pacific/Chatham', 'Pacific/Apia', 'Pacific/Kiritimati', 'UTC',
];

// Mulberry32: a tiny seeded generator.
let seed = 20260105;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const pad = (n: number) => String(n).padStart(2, '0');
const wallTime = () => `${pad(Math.floor(random() * 24))}:${pick(['00', '15', '30', '45'])}`;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 1);

/** A random window; a fifth have a startDate up to two years out, a fifth a run of blackout dates. */
function randomWindow(maxBlackouts = 90): CallingWindow {
  const w: CallingWindow = { timezone: pick(ZONES), firstCallTime: wallTime(), lastCallTime: wallTime() };
  if (random() < 0.5) w.daysOfWeek = [1, 2, 3, 4, 5, 6, 7].filter(() => random() < 0.6).concat([pick([1, 3, 5])]);
  if (random() < 0.2) w.startDate = isoDate(BASE + Math.floor(random() * 730) * DAY);
  if (random() < 0.2) w.blackoutDates = Array.from({ length: 1 + Math.floor(random() * maxBlackouts) }, (_, i) => isoDate(BASE + i * DAY));
  return w;
}

/** Wall-clock milliseconds of fn; the process's CPU milliseconds go to lastCpuMs (less sensitive to a busy machine). */
let lastCpuMs = 0;
function time(fn: () => void): number {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return wall;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function benchNextWindowOpen(): void {
  const windows = Array.from({ length: 2_000 }, () => randomWindow());
  const instants = Array.from({ length: 4_096 }, () => new Date(BASE + Math.floor(random() * 730 * DAY)));
  const calls = 200_000;
  for (let i = 0; i < 20_000; i++) nextWindowOpen(windows[i % windows.length]!, instants[i % instants.length]!);
  const warm = time(() => {
    for (let i = 0; i < calls; i++) nextWindowOpen(windows[i % windows.length]!, instants[(i * 7) % instants.length]!);
  });
  console.log(`nextWindowOpen, 2,000 random windows (compiled): ${Math.round((calls / warm) * 1000).toLocaleString('en-US')} calls/s`);
  const fresh = Array.from({ length: 20_000 }, () => randomWindow()).map((w, i) => ({ ...w, endDate: isoDate(BASE + (800 + i) * DAY) }));
  const cold = time(() => fresh.forEach((w, i) => nextWindowOpen(w, instants[i % instants.length]!)));
  console.log(`nextWindowOpen, 20,000 never-seen windows (validate + compile each): ${Math.round((fresh.length / cold) * 1000).toLocaleString('en-US')} calls/s`);
}

const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

/** A fresh object with every field, as the worker maps each campaign row from the database. */
function asRow(w: CallingWindow): CallingWindow {
  return {
    timezone: w.timezone,
    firstCallTime: w.firstCallTime,
    lastCallTime: w.lastCallTime,
    daysOfWeek: w.daysOfWeek ?? [1, 2, 3, 4, 5, 6, 7],
    startDate: w.startDate ?? null,
    endDate: w.endDate ?? null,
    blackoutDates: w.blackoutDates ?? [],
  };
}

/** 100,000 campaigns over a pool of windows; a fifth use the federal 08:00-21:00 hours, grouped by contact zone. */
function campaigns(count: number, windowPool: CallingWindow[], contactZones: readonly string[], now: number): PlanCampaign[] {
  return Array.from({ length: count }, (_, i) => {
    const withHours = random() < 0.2;
    return {
      id: `c${i}`,
      window: asRow(pick(windowPool)),
      recipientHours: withHours ? { start: '08:00', end: '21:00' } : null,
      pending: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        earliestDueAt: new Date(now + Math.floor((random() * 4 - 1) * DAY)),
        timezone: withHours ? pick(contactZones) : null,
      })),
    };
  });
}

function benchWakePlan(label: string, poolSize: number, contactZones: readonly string[]): void {
  const now = Date.UTC(2026, 2 + Math.floor(random() * 6), 7, 15, 0);
  const pool = Array.from({ length: poolSize }, () => randomWindow(12));
  const input = { campaigns: campaigns(100_000, pool, contactZones, now), directCallsDueAt: [], resultDeadlines: [new Date(now + 60_000)] };
  let result = computeWakePlan({ ...input, campaigns: [] }, new Date(now));
  const first = time(() => (result = computeWakePlan(input, new Date(now))));
  const firstCpu = lastCpuMs;
  const cpu: number[] = [];
  const runs = Array.from({ length: 10 }, (_, i) => {
    const wall = time(() => computeWakePlan(input, new Date(now + (i + 1) * 60_000)));
    cpu.push(lastCpuMs);
    return wall;
  });
  console.log(`computeWakePlan, 100,000 campaigns, ${label}:`);
  console.log(`  first call (windows never seen): ${first.toFixed(1)} ms (cpu ${firstCpu.toFixed(1)})`);
  console.log(
    `  next 10 calls, a minute apart: min ${Math.min(...runs).toFixed(1)} / median ${median(runs).toFixed(1)} ms (cpu median ${median(cpu).toFixed(1)})`,
  );
  console.log(`  due now: ${result.dueNowCampaignIds.length}; next wake ${result.nextWake?.at.toISOString()} (${result.nextWake?.reason})`);
}

function benchWakePlanCold(): void {
  // A fresh process: windows never compiled and zone offsets never cached.
  const now = Date.UTC(2026, 9, 20, 12, 0);
  const pool = Array.from({ length: 1_000 }, () => randomWindow(12));
  const input = { campaigns: campaigns(100_000, pool, US_ZONES, now), directCallsDueAt: [], resultDeadlines: [] };
  const cold = time(() => computeWakePlan(input, new Date(now)));
  console.log(`computeWakePlan, 100,000 campaigns, 1,000 windows, first call in a cold process: ${cold.toFixed(1)} ms (cpu ${lastCpuMs.toFixed(1)})`);
}

console.log(`node ${process.version}, TZ=${process.env.TZ ?? '(unset)'}, load average ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`);
benchWakePlanCold();
benchNextWindowOpen();
benchWakePlan('1,000 windows in 42 zones, contacts in 7 US zones', 1_000, US_ZONES);
benchWakePlan('10,000 windows, contacts in all 42 zones (adversarial)', 10_000, ZONES);
