// checkConsistency (`wakeplan check`) against real Postgres: a healthy mix of
// states passes; each kind of violation is found, named, and located; holds
// (a paused campaign's queue, an empty active campaign) are not violations.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConsistency } from '../src/consistency-check.ts';
import { insertCampaign, insertContacts, markDialing, nextPhones, OPEN, useTestDatabase, type CampaignFields } from '../src/testing/index.ts';

const db = useTestDatabase();
const sql = () => db.current.sql;
const min = (n: number) => new Date(OPEN.getTime() + n * 60_000);
const campaign = (fields: CampaignFields = {}) => insertCampaign(sql(), fields, OPEN);

async function call(fields: Record<string, unknown>): Promise<string> {
  const row = { phone: nextPhones(1)[0], created_at: OPEN, updated_at: OPEN, ...fields };
  const [r] = await sql()<{ id: string }[]>`insert into calls ${sql()(row as never)} returning id`;
  return r!.id;
}
const kinds = async (at = OPEN) => (await checkConsistency(sql(), at)).map((v) => v.kind).sort();

afterEach(async () => {
  await sql()`truncate campaigns, calls, call_attempts cascade`;
});

describe('checkConsistency', () => {
  it('passes terminal contacts, queued ones with a due time, in-flight ones before their deadline, and holds', async () => {
    const active = await campaign();
    await insertContacts(sql(), active, 2, OPEN);
    await insertContacts(sql(), active, 1, OPEN, { next_attempt_at: min(600) });
    const [flying] = await insertContacts(sql(), active, 1, OPEN);
    await markDialing(sql(), [flying!], OPEN, min(30));
    await call({ campaign_id: active, status: 'completed', attempt: 1 });
    const paused = await campaign({ status: 'paused' });
    await insertContacts(sql(), paused, 2, OPEN);
    await campaign({ status: 'paused' }); // paused with nothing pending: completes on resume
    await campaign(); // active, never had a contact: waiting for contacts
    const done = await campaign();
    await sql()`update campaigns set status = 'completed', completed_at = ${OPEN} where id = ${done}`;
    await call({ campaign_id: done, status: 'failed', attempt: 3 });
    const cancelled = await campaign({ status: 'cancelled' });
    await call({ campaign_id: cancelled, status: 'cancelled', attempt: 1 });
    const [inFlightOfCancelled] = await insertContacts(sql(), cancelled, 1, OPEN);
    await markDialing(sql(), [inFlightOfCancelled!], OPEN, min(30)); // ends as cancelled when its outcome arrives
    await call({ agent_id: 'direct' }); // a direct call: due at once
    expect(await checkConsistency(sql(), min(5))).toEqual([]);
  });

  it('finds queued contacts nobody will dial: in a cancelled or completed campaign, in a window that never opens again', async () => {
    const cancelled = await campaign({ status: 'cancelled' });
    const [a] = await insertContacts(sql(), cancelled, 1, OPEN);
    const ended = await campaign({ end_date: '2026-03-01' });
    await insertContacts(sql(), ended, 3, OPEN);
    const violations = await checkConsistency(sql(), OPEN);
    expect(violations).toContainEqual({ kind: 'contact_stuck', campaignId: cancelled, callId: a, detail: 'queued in a cancelled campaign' });
    expect(violations).toContainEqual(expect.objectContaining({
      kind: 'no_due_time', campaignId: ended, detail: '3 queued contact(s) whose window never opens again (expected: expired)',
    }));
    expect(violations).toHaveLength(2);
  });

  it('finds an active campaign with nothing pending, and an in-flight call nobody settled after its deadline', async () => {
    const idle = await campaign();
    await call({ campaign_id: idle, status: 'completed', attempt: 1 });
    const other = await campaign();
    const [late] = await insertContacts(sql(), other, 1, OPEN);
    await markDialing(sql(), [late!], OPEN, min(30));
    expect(await kinds(min(35))).toEqual(['active_nothing_pending']); // within the grace
    const violations = await checkConsistency(sql(), min(45));
    expect(violations.map((v) => v.kind).sort()).toEqual(['active_nothing_pending', 'overdue_in_flight']);
    expect(violations.find((v) => v.kind === 'overdue_in_flight')).toMatchObject({ callId: late, detail: `dialing past its result deadline ${min(30).toISOString()}` });
    expect(await checkConsistency(sql(), min(45), { overdueGraceMinutes: 60 })).toHaveLength(1);
  });

  it('finds two live attempts for one contact, a live attempt that is not current, and an in-flight call without its attempt row', async () => {
    const id = await campaign({ max_attempts: 5 });
    const [two, orphan, missing] = await insertContacts(sql(), id, 3, OPEN);
    await markDialing(sql(), [two!, orphan!, missing!], OPEN, min(30));
    // attempt 2 claimed while attempt 1 is still live
    await sql()`update calls set attempt = 2 where id = ${two!}`;
    await sql()`insert into call_attempts (call_id, attempt, status, claimed_at) values (${two!}, 2, 'dialing', ${OPEN})`;
    // the contact was settled but its attempt row is still live
    await sql()`update calls set status = 'failed', result_deadline = null where id = ${orphan!}`;
    await sql()`delete from call_attempts where call_id = ${missing!}`;
    const violations = await checkConsistency(sql(), min(1));
    expect(violations.map((v) => [v.kind, v.callId]).sort()).toEqual([
      ['attempt_missing', missing], ['orphan_live_attempt', orphan], ['orphan_live_attempt', two], ['two_live_attempts', two],
    ].sort());
    expect(violations.find((v) => v.kind === 'two_live_attempts')!.detail).toBe('attempts 1, 2 are all live');
  });
});
