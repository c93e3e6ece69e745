// Pause, resume and cancel: allowed transitions, repeats that change nothing,
// 409s that say why, and cancel taking the queued contacts with it.
import { describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, phoneNumber, useTestApi } from './helpers.ts';

const { db, api } = useTestApi();

async function create(contacts = 0): Promise<string> {
  const list = Array.from({ length: contacts }, (_, i) => ({ phone: phoneNumber(i) }));
  const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody({ contacts: list }) });
  return json(res).data.id;
}
const act = (id: string, action: string) => api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/${action}`, headers: AUTH });

describe('campaign lifecycle', () => {
  it('pauses, resumes and repeats harmlessly', async () => {
    const id = await create();
    expect(json(await act(id, 'pause')).data.status).toBe('paused');
    expect((await act(id, 'pause')).statusCode).toBe(200);
    expect(json(await act(id, 'resume')).data.status).toBe('active');
    expect(json(await act(id, 'resume')).data.status).toBe('active');
  });

  it('cancels, cancelling queued contacts but not finished ones', async () => {
    const id = await create(3);
    await db.current.sql`update calls set status = 'completed', attempt = 1 where phone = ${phoneNumber(0)}`;
    const res = await act(id, 'cancel');
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toMatchObject({ status: 'cancelled', stats: { cancelled: 2, completed: 1, queued: 0, total: 3 } });
    expect(json(await act(id, 'cancel')).data.status).toBe('cancelled');
  });

  it.each([
    ['resume', 'cancelled', 'the campaign is cancelled; it cannot be resumed'],
    ['pause', 'cancelled', 'the campaign is cancelled; it cannot be paused'],
    ['pause', 'completed', 'the campaign is completed; add contacts to make it active again instead of trying to pause it'],
    ['cancel', 'completed', 'the campaign is completed; there is nothing left to cancel'],
  ])('refuses to %s a %s campaign with 409', async (action, status, message) => {
    const id = await create();
    await db.current.sql`update campaigns set status = ${status}, completed_at = ${status === 'completed' ? new Date() : null} where id = ${id}`;
    const res = await act(id, action);
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', message });
    const [row] = await db.current.sql<{ status: string }[]>`select status from campaigns where id = ${id}`;
    expect(row!.status).toBe(status);
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    expect((await act('00000000-0000-4000-8000-000000000000', 'pause')).statusCode).toBe(404);
    expect((await act('123', 'cancel')).statusCode).toBe(422);
  });

  it('refuses to change a cancelled campaign', async () => {
    const id = await create();
    await act(id, 'cancel');
    const res = await api.app.inject({ method: 'PATCH', url: `/api/campaigns/${id}`, headers: AUTH, payload: { name: 'again' } });
    expect(res.statusCode).toBe(409);
  });
});
