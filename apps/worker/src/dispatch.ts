// One dispatch pass: claim (one committed transaction per campaign, then the
// direct calls), send every claimed dial request concurrently, and record what
// the dialer said. Used by the worker's loop; knows nothing of states or timers.
//
// Invariants: a claim is committed before its dial request leaves (sql/claims.ts);
// a request is only ever sent for an attempt this pass claimed, or — for a
// dialer that deduplicates — re-sent for a claim nobody confirmed; dial results
// are recorded with conditional updates only (sql/dial-results.ts).
import type { Sql } from '@wakeplan/db';
import { idempotencyKeyOf, type DialRequest } from '@wakeplan/contract';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import type { Dialer } from './dialers/dialer.ts';
import { claimCampaignCalls, claimDirectCalls, type ClaimResult, type ClaimedCall } from './sql/claims.ts';
import { recordDialConfirmations, recordDialRejection, type DialConfirmation } from './sql/dial-results.ts';

export interface DispatchSettings {
  workerId: string;
  accountCap: number;
  resultTimeoutMinutes: number;
  callbackUrl: string;
}

export interface DispatchResult {
  claimed: number;
  rejected: number;
  /** Campaigns whose claim came back empty although the plan said they were due. */
  emptyCampaignIds: string[];
  directEmpty: boolean;
}

export class Dispatcher {
  constructor(
    private readonly clock: Clock,
    private readonly dialer: Dialer,
    private readonly settings: DispatchSettings,
    private readonly counters: WorkerCounters,
    private readonly logger: Logger,
  ) {}

  private passes = 0;

  async dispatch(sql: Sql, campaignIds: readonly string[], direct: boolean, stopping: () => boolean): Promise<DispatchResult> {
    const claimed: ClaimedCall[] = [];
    const emptyCampaignIds: string[] = [];
    for (const id of rotate(campaignIds, this.passes++)) {
      if (stopping()) break;
      const result = await claimCampaignCalls(sql, id, this.claimOptions());
      this.noteClaim(result);
      if (result.claimed.length === 0 && isUnexpectedlyEmpty(result)) emptyCampaignIds.push(id);
      claimed.push(...result.claimed);
    }
    let directEmpty = false;
    if (direct && !stopping()) {
      const result = await claimDirectCalls(sql, this.claimOptions());
      this.noteClaim(result);
      directEmpty = result.claimed.length === 0;
      claimed.push(...result.claimed);
    }
    const rejected = await this.dialAndRecord(sql, claimed.map((c) => this.requestFor(c)));
    return { claimed: claimed.length, rejected, emptyCampaignIds, directEmpty };
  }

  /** Sends again claims nobody confirmed (a crashed worker's), to a dialer that deduplicates. */
  async resend(sql: Sql, requests: DialRequest[]): Promise<void> {
    if (this.dialer.resend !== 'deduplicates' || requests.length === 0) return;
    this.counters.resent += requests.length;
    this.logger.info({ count: requests.length }, 're-sending unconfirmed dial requests under their idempotency keys');
    await this.dialAndRecord(sql, requests);
  }

  private async dialAndRecord(sql: Sql, requests: DialRequest[]): Promise<number> {
    if (requests.length === 0) return 0;
    this.counters.dialed += requests.length;
    const results = await Promise.all(requests.map(async (request) => ({ request, result: await this.dialer.dial(request) })));
    const confirmations: DialConfirmation[] = [];
    let rejected = 0;
    for (const { request, result } of results) {
      if (result.kind === 'confirmed') {
        confirmations.push({ callId: request.callId, attempt: request.attempt, providerCallId: result.providerCallId });
      } else if (result.kind === 'rejected') {
        rejected++;
        this.counters.rejected++;
        await recordDialRejection(sql, request.callId, request.attempt, result.reason, this.clock.now());
      } else {
        this.counters.unconfirmed++;
        this.logger.warn({ callId: request.callId, attempt: request.attempt, reason: result.reason },
          'dial request unconfirmed: the claim stays dialing until its result deadline');
      }
    }
    this.counters.confirmed += confirmations.length;
    await recordDialConfirmations(sql, confirmations, this.clock.now());
    return rejected;
  }

  private claimOptions() {
    const { workerId, accountCap, resultTimeoutMinutes } = this.settings;
    return { at: this.clock.now(), workerId, accountCap, resultTimeoutMinutes };
  }

  private noteClaim(result: ClaimResult): void {
    if (result.claimed.length > 0) this.counters.claims++;
  }

  private requestFor(c: ClaimedCall): DialRequest {
    return {
      callId: c.callId,
      attempt: c.attempt,
      idempotencyKey: idempotencyKeyOf(c.callId, c.attempt),
      to: c.phone,
      agentId: c.agentId,
      campaignId: c.campaignId,
      variables: c.variables,
      callbackUrl: this.settings.callbackUrl,
    };
  }
}

/** Empty for a reason the next plan read will not show (a race, a zone mismatch): do not retry it this pass. */
function isUnexpectedlyEmpty(result: ClaimResult): boolean {
  return result.blockedBy === 'nothing_due' || result.blockedBy === 'window_closed' || result.blockedBy === 'not_active';
}

/** Starts each pass at a different campaign, so under the account cap none is always last. */
function rotate<T>(items: readonly T[], by: number): readonly T[] {
  if (items.length < 2) return items;
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
