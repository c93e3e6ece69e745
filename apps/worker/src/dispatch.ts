// Dispatch (DESIGN.md §6): claim what is due (one committed transaction per
// campaign, then the direct calls), send the claimed requests WITHOUT waiting
// for them, re-send unconfirmed claims under the dial rule, and record what the
// dialer answered. Used by the worker's rounds; knows nothing of states or timers.
//
// Invariants:
//   * one dial rule for every request that leaves (fresh claim, re-send after a
//     crash, re-send after no answer): a fresh claim's transaction checks it
//     (sql/claims.ts), a re-send is re-checked and recorded in the database
//     right before it leaves (sql/resends.ts); nothing else ever sends;
//   * at most DIAL_CONCURRENCY requests in flight: a claim takes no more than
//     the free room, so a request leaves right after its claim commits and one
//     that hangs at the provider never holds back claims for other campaigns;
//     `onAnswered` tells the worker when room frees or an answer waits;
//   * unconfirmed → sent again per the dialer's `resend`: `deduplicates` → the
//     same request again (5 s, 15 s, 45 s, then every minute until the
//     deadline); `reconciles` → find() first: found → confirmed, not_found →
//     sent, unknown → asked again later; no find() → left to the deadline.
//     At start-up only a deduplicating dialer re-sends every unconfirmed claim
//     at once; a reconciling one waits for each attempt's next send time (a
//     live worker's request may still be on the wire: find() would miss it);
//     `refused` → sent again not before its retryAfterMs. The next send time is
//     persisted (call_attempts.next_send_at), a wake reason of the plan;
//   * answers are recorded with conditional updates only (sql/dial-results.ts).
import type { Sql } from '@wakeplan/db';
import { idempotencyKeyOf, type DialRequest } from '@wakeplan/contract';
import { describeFailure, type Clock, type Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import type { Dialer, DialResult } from './dialers/dialer.ts';
import { claimCampaignCalls, claimDirectCalls, type ClaimResult, type ClaimedCall } from './sql/claims.ts';
import { recordDialConfirmations, recordDialRejection, type DialConfirmation } from './sql/dial-results.ts';
import { checkAndRecordResend, listDueResends, resendDelayMs, scheduleNextSend } from './sql/resends.ts';

/** How long a request that left is left alone before anyone may send it again: longer than one dial() takes. */
const SEND_HOLD_MS = 60_000;
/** DIAL_CONCURRENCY's default. */
const DEFAULT_DIAL_CONCURRENCY = 50;
/** A refusal without Retry-After is sent again after this long. */
const REFUSED_DEFAULT_MS = 5_000;

export interface DispatchSettings {
  workerId: string;
  accountCap: number;
  resultTimeoutMinutes: number;
  callbackUrl: string;
  /** DIAL_CONCURRENCY: dial requests in flight at once (default 50). */
  dialConcurrency?: number;
}

/** A campaign whose claim was refused, and the first instant it can succeed ("campaign X not before T"). */
interface NotBefore {
  campaignId: string;
  at: Date;
}

export interface DispatchResult {
  claimed: number;
  /** Campaigns a claim was tried for (their plan entries changed or proved stale). */
  triedCampaignIds: string[];
  /** Campaigns whose claim came back empty although the plan said they were due. */
  emptyCampaignIds: string[];
  /** Campaigns that claimed something (their refusals, if any, are over). */
  claimedCampaignIds: string[];
  directEmpty: boolean;
  /** Claims refused for pacing or a closed window: when to look again. */
  notBefore: NotBefore[];
}

/** What recording answers or handling re-sends changed: calls changed, and the campaigns of those that settled. */
export interface PlanChanges {
  changed: number;
  campaignIds: string[];
}

interface Answer {
  request: DialRequest;
  result: DialResult;
  sends: number;
}

export class Dispatcher {
  private passes = 0;
  private readonly inFlight = new Map<string, Promise<void>>();
  private answers: Answer[] = [];
  /** True when the last dispatch stopped for want of room: claim again once an answer frees some. */
  private roomShort = false;

  constructor(
    private readonly clock: Clock,
    private readonly dialer: Dialer,
    private readonly settings: DispatchSettings,
    private readonly counters: WorkerCounters,
    private readonly logger: Logger,
    private readonly onAnswered: () => void = () => {},
  ) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Answers received and not yet recorded. */
  get hasAnswers(): boolean {
    return this.answers.length > 0;
  }

  /** Whether the last claims were cut short by DIAL_CONCURRENCY (and room has freed since). */
  get roomFreed(): boolean {
    return this.roomShort && this.room > 0;
  }

  /** Resolves when some request in flight is answered (at once when none is). */
  async anyAnswered(): Promise<void> {
    if (this.inFlight.size > 0) await Promise.race(this.inFlight.values());
  }

  async dispatch(sql: Sql, campaignIds: readonly string[], direct: boolean, stopping: () => boolean): Promise<DispatchResult> {
    const out: DispatchResult = { claimed: 0, triedCampaignIds: [], emptyCampaignIds: [], claimedCampaignIds: [], directEmpty: false, notBefore: [] };
    this.roomShort = false;
    for (const id of rotate(campaignIds, this.passes++)) {
      if (stopping()) break;
      if (this.room <= 0) {
        this.roomShort = true;
        break;
      }
      const result = await claimCampaignCalls(sql, id, this.claimOptions());
      out.triedCampaignIds.push(id);
      this.take(result, out);
      if (result.claimed.length > 0) out.claimedCampaignIds.push(id);
      else if (isUnexpectedlyEmpty(result)) out.emptyCampaignIds.push(id);
      if (result.notBefore) out.notBefore.push({ campaignId: id, at: result.notBefore });
    }
    if (direct && !stopping()) {
      if (this.room <= 0) {
        this.roomShort = true;
      } else {
        const result = await claimDirectCalls(sql, this.claimOptions());
        this.take(result, out);
        out.directEmpty = result.claimed.length === 0;
      }
    }
    return out;
  }

  /**
   * Unconfirmed claims due for another send (every one at start-up: `all`),
   * each through the dial rule. Returns how many calls changed state (closed
   * unsent, or confirmed by a lookup) and their campaigns, so the caller reads
   * them again, and how many were handled (each moved its next send time).
   */
  async resendDue(sql: Sql, all: boolean): Promise<PlanChanges & { handled: number }> {
    // A dialer that can neither re-send nor look up still gets its `refused` requests again (nothing was
    // placed): they are the only ones with a next send time. At start-up nothing is known, so nothing is sent.
    const out = { changed: 0, campaignIds: [] as string[], handled: 0 };
    if (this.room <= 0 || (all && !this.canResend)) return out;
    // At start-up a deduplicating dialer sends every unconfirmed claim again at once (a duplicate is the same
    // call). A reconciling one must not: another worker's request for a claim made a moment ago may still be
    // on its way, and a find() before it lands says not_found — a second real call. It keeps to each
    // attempt's next send time (the hold set at each send, longer than one dial() takes), as it does running.
    all &&= this.dialer.resend === 'deduplicates';
    const due = await listDueResends(sql, this.clock.now(), {
      all, callbackUrl: this.settings.callbackUrl, exclude: new Set(this.inFlight.keys()), limit: this.room,
    });
    out.handled = due.length;
    for (const { request, sends } of due) {
      if (this.dialer.resend === 'reconciles' && this.dialer.find) {
        const lookup = await this.dialer.find(request);
        if (lookup.kind === 'found') {
          out.changed += await recordDialConfirmations(sql, [{ callId: request.callId, attempt: request.attempt, providerCallId: lookup.providerCallId }], this.clock.now());
          continue;
        }
        if (lookup.kind === 'unknown') {
          await scheduleNextSend(sql, request.callId, request.attempt, this.after(resendDelayMs(sends)));
          continue;
        }
      }
      const check = await checkAndRecordResend(sql, request.callId, request.attempt, this.clock.now(), {
        workerId: this.settings.workerId, holdMs: SEND_HOLD_MS, all,
      });
      if (check.verdict === 'send') {
        this.counters.resent++;
        this.logger.info({ callId: request.callId, attempt: request.attempt, send: check.sendNo },
          're-sending an unconfirmed dial request under its idempotency key');
        this.launch(request, check.sendNo);
      } else if (check.verdict === 'closed') {
        out.changed++;
        if (request.campaignId) out.campaignIds.push(request.campaignId);
        this.counters.closedUnsent++;
        this.logger.warn({ callId: request.callId, attempt: request.attempt, reason: check.reason, callStatus: check.callStatus },
          'unconfirmed dial request not re-sent (the dial rule fails): attempt closed as unknown');
      }
    }
    return out;
  }

  /**
   * Records the answers received since the last call. Returns how many changed
   * what the plan shows: rejections (the retry policy ran: their campaigns) and
   * next send times (the plan's earliest re-send).
   */
  async recordAnswers(sql: Sql): Promise<PlanChanges> {
    const answers = this.answers;
    this.answers = [];
    const confirmations: DialConfirmation[] = [];
    const out: PlanChanges = { changed: 0, campaignIds: [] };
    for (const { request, result, sends } of answers) {
      const { callId, attempt } = request;
      switch (result.kind) {
        case 'confirmed':
          confirmations.push({ callId, attempt, providerCallId: result.providerCallId });
          break;
        case 'rejected':
          this.counters.rejected++;
          if (await recordDialRejection(sql, callId, attempt, result.reason, this.clock.now())) {
            out.changed++;
            if (request.campaignId) out.campaignIds.push(request.campaignId);
          }
          break;
        case 'refused': {
          this.counters.refused++;
          const waitMs = Math.max(result.retryAfterMs ?? REFUSED_DEFAULT_MS, 1_000);
          this.logger.warn({ callId, attempt, reason: result.reason, retryInMs: waitMs }, 'dial request refused by the provider: sending again later');
          await scheduleNextSend(sql, callId, attempt, this.after(waitMs));
          out.changed++;
          break;
        }
        case 'unconfirmed': {
          this.counters.unconfirmed++;
          const next = this.canResend ? this.after(resendDelayMs(sends)) : null;
          this.logger.warn({ callId, attempt, reason: result.reason, nextSendAt: next?.toISOString() ?? null },
            next ? 'dial request unconfirmed: sending again later under the same key' : 'dial request unconfirmed: the claim stays dialing until its result deadline');
          await scheduleNextSend(sql, callId, attempt, next);
          out.changed++;
          break;
        }
      }
    }
    this.counters.confirmed += confirmations.length;
    await recordDialConfirmations(sql, confirmations, this.clock.now());
    return out;
  }

  private get room(): number {
    return (this.settings.dialConcurrency ?? DEFAULT_DIAL_CONCURRENCY) - this.inFlight.size;
  }

  /** Deduplicating dialers re-send; reconciling ones look the call up first, so they need find(). */
  private get canResend(): boolean {
    return this.dialer.resend === 'deduplicates' || this.dialer.find !== undefined;
  }

  private after(ms: number): Date {
    return new Date(this.clock.now().getTime() + ms);
  }

  private take(result: ClaimResult, out: DispatchResult): void {
    if (result.claimed.length === 0) return;
    this.counters.claims++;
    out.claimed += result.claimed.length;
    for (const c of result.claimed) this.launch(this.requestFor(c), 1);
  }

  /** Sends one request now; its answer is kept for recordAnswers and announced through onAnswered. */
  private launch(request: DialRequest, sends: number): void {
    this.counters.dialed++;
    const key = request.idempotencyKey;
    const sent = this.dialer.dial(request)
      .catch((error: unknown): DialResult => ({ kind: 'unconfirmed', reason: describeFailure(error) }))
      .then((result) => {
        this.inFlight.delete(key);
        this.answers.push({ request, result, sends });
        this.onAnswered();
      });
    this.inFlight.set(key, sent);
  }

  private claimOptions() {
    const { workerId, accountCap, resultTimeoutMinutes } = this.settings;
    return { at: this.clock.now(), workerId, accountCap, resultTimeoutMinutes, maxBatch: this.room, resendAfterMs: this.canResend ? SEND_HOLD_MS : null };
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
