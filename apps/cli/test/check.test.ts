// `wakeplan check`: exit 0 and "ok" on a consistent database; exit 1 with one
// line per violation (kind, where, why) otherwise; --json for machines.
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, T0, useTestDatabase } from '@wakeplan/db/testing';
import { runCheck } from '../src/commands/check.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();

describe('wakeplan check', () => {
  it('exits 0 with ok, then 1 listing a queued contact of a cancelled campaign', async () => {
    const sql = db.current.sql;
    const id = await insertCampaign(sql, {}, T0);
    const [callId] = await insertContacts(sql, id, 1, T0);
    const ok = testContext(() => db.current);
    expect(await runCheck(ok, { now: T0 })).toBe(0);
    expect(ok.stdout).toEqual([`ok: every contact is terminal or pending with a known due time (${T0.toISOString()})`]);

    await sql`update campaigns set status = 'cancelled' where id = ${id}`;
    const bad = testContext(() => db.current);
    expect(await runCheck(bad, { now: T0 })).toBe(1);
    expect(bad.stderr).toEqual([
      `1 violation (${T0.toISOString()}):`,
      `  contact_stuck: campaign ${id} call ${callId}: queued in a cancelled campaign`,
    ]);
    const asJson = testContext(() => db.current);
    expect(await runCheck(asJson, { now: T0, json: true })).toBe(1);
    expect(JSON.parse(asJson.stdout[0]!)).toMatchObject({ ok: false, violations: [{ kind: 'contact_stuck', callId }] });
  });
});
