// `wakeplan audit` prints what GET /api/audit/dials answers (the same function)
// and exits 1 when a dial broke the rule, so a daily cron job fails loudly.
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, OPEN, useTestDatabase } from '@wakeplan/db/testing';
import { runAudit } from '../src/commands/audit.ts';
import { runCommand } from '../src/run-command.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();

describe('wakeplan audit', () => {
  it('an empty audit exits 0; a dial while paused is listed and exits 1', async () => {
    const ctx = testContext(() => db.current);
    expect(await runCommand(ctx, 'audit', { days: '2' }, [])).toBe(0);
    expect(ctx.stdout.join('\n')).toMatch(/0 checked, 0 against the dial rule/);

    const sql = db.current.sql;
    const id = await insertCampaign(sql);
    const [callId] = await insertContacts(sql, id, 1);
    await sql`insert into call_attempts (call_id, attempt, status, claimed_at, dial_sent_at, sends) values (${callId!}, 1, 'dialing', ${OPEN}, ${OPEN}, 1)`;
    await sql`insert into dial_sends (call_id, attempt, send_no, sent_at, campaign_id, campaign_status, window_in_force)
              values (${callId!}, 1, 1, ${OPEN}, ${id}, 'paused', ${sql.json({ timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' })})`;
    const audit = await runAudit(testContext(() => db.current), { days: 1, now: new Date(OPEN.getTime() + 3_600_000), json: true });
    expect(audit.violations).toMatchObject([{ call_id: callId, violations: ['campaign_not_active'] }]);
    await expect(runAudit(testContext(() => db.current), { days: 0 })).rejects.toThrow(/--days must be more than 0/);
  });
});
