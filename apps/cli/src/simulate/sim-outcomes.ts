// Deterministic call outcomes and phone numbers for simulations: the same scenario
// and seed give the same outcome for the same (phone, attempt) in every mode and in
// the ideal schedule, so the modes are compared on identical work.
import type { SimOutcome } from './scenario.ts';
import { SIM_OUTCOMES } from './scenario.ts';

/** A valid US number (area code 212) for contact `index` of the `campaign`-th campaign created. */
export function simulatedPhone(campaign: number, index: number): string {
  const k = campaign * 100_000 + index;
  const exchange = 200 + Math.floor(k / 10_000);
  if (exchange > 999) throw new Error('too many simulated contacts for the phone plan (7,999,999 max)');
  return `+1212${exchange}${String(k % 10_000).padStart(4, '0')}`;
}

export function simulatedOutcome(seed: number, phone: string, attempt: number, shares: Record<SimOutcome, number>): SimOutcome {
  const u = unitHash(`${seed}|${phone}|${attempt}`);
  let acc = 0;
  for (const outcome of SIM_OUTCOMES) {
    acc += shares[outcome];
    if (u < acc) return outcome;
  }
  return 'completed';
}

/** FNV-1a then a murmur-style finaliser: a well-spread value in [0, 1). */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}
