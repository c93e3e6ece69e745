// The worker's life (DESIGN.md §3): starting → dispatching ⇄ waiting ⇄ asleep → stopping.
//
//   dispatching — pool + listener open (LISTEN first, then the plan read); reads
//                 the plan, claims, dials, records results; loops while it makes
//                 progress or a hint arrived since its last plan read began.
//   waiting     — calls in flight or a wake is near: no statement runs; whatever
//                 connection is still alive may stay; nothing is re-opened.
//   asleep      — nothing in flight, nothing near: listener and pool ended; one
//                 timer (clock port) for the next planned wake.
//
// Invariants: a connection is opened only by a pass, and a pass only runs for a
// hint (timer, doorbell, NOTIFY, signal) — never merely to listen; the listener
// lost mid-pass is re-opened and followed by a full resync, lost while waiting it
// stays closed; a planned wake is strictly after the plan's now, or refused.
//
// This file holds the life itself: hints in, passes, rest, timers, errors. What a
// round of a pass does is pass-round.ts; the connections are worker-connections.ts.
import { httpWebhookSender, type Sql, type WebhookSender } from '@wakeplan/db';
import type { Clock, Logger, TimerHandle } from '@wakeplan/runtime';
import { newCounters } from './counters.ts';
import type { DatabaseConnector } from './database-connector.ts';
import type { Dialer } from './dialers/dialer.ts';
import { Dispatcher, type DispatchSettings } from './dispatch.ts';
import { HintBook, type Hint, type TakenHints } from './hints.ts';
import { hintsForNotification } from './notification-hints.ts';
import { newKnownPlan, newPassProgress, runRound, type KnownPlan, type RoundDeps } from './pass-round.ts';
import { decideRest, modeListens, refuseSpinningWake, type SchedulingMode } from './scheduling-mode.ts';
import type { WorkerStateName } from './sql/worker-state.ts';
import type { WakeLedger } from './wake-ledger.ts';
import { WorkerConnections } from './worker-connections.ts';
import type { WorkerMetrics } from './worker-metrics.ts';
import { publishRest, restNeedsPublishing, toHealth, type PlannedWake, type WorkerHealth } from './worker-report.ts';

interface WorkerSettings extends DispatchSettings {
  shutdownGraceS: number;
}

export interface WorkerDeps {
  clock: Clock;
  connector: DatabaseConnector;
  dialer: Dialer;
  logger: Logger;
  settings: WorkerSettings;
  mode: SchedulingMode;
  /** How webhook deliveries are sent (HTTP by default; `simulate` and tests pass their own). */
  webhookSender?: WebhookSender;
  /** The activity ledger (wake-ledger.ts): told when a wake starts and ends; writes with the wake's pool. */
  ledger?: WakeLedger;
  /** Prometheus metrics (worker-metrics.ts): told of wakes, timer lateness and listener reconnects. */
  metrics?: WorkerMetrics;
}

export class Worker {
  readonly counters = newCounters();
  private stateName: WorkerStateName = 'starting';
  private readonly connections: WorkerConnections;
  private readonly hints = new HintBook();
  private readonly round: RoundDeps;
  private readonly plan: KnownPlan = newKnownPlan();
  private readonly dispatcher: Dispatcher;
  private planned: PlannedWake | null = null;
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private backoffUntil = 0;
  private errorStreak = 0;
  private lastRestLine = '';
  private lastPublished: { state: WorkerStateName; at: Date } | null = null;
  private readonly startedAt: Date;

  constructor(private readonly deps: WorkerDeps) {
    this.startedAt = deps.clock.now();
    this.dispatcher = new Dispatcher(deps.clock, deps.dialer, deps.settings, this.counters, deps.logger,
      () => this.hint({ kind: 'dial_answered' }));
    this.round = {
      clock: deps.clock, counters: this.counters, logger: deps.logger, dispatcher: this.dispatcher,
      accountCap: deps.settings.accountCap, stopping: () => this.stopping,
      webhookSender: deps.webhookSender ?? httpWebhookSender(), catchUp: modeListens(deps.mode),
    };
    this.connections = new WorkerConnections(deps.connector, deps.mode, {
      notification: (payload) => this.onNotification(payload),
      lost: () => this.onListenerLost(),
    });
  }

  get state(): WorkerStateName {
    return this.stateName;
  }

  get nextWake(): PlannedWake | null {
    return this.planned;
  }

  /** First pass: LISTEN, full plan read, and re-send of unconfirmed claims to a deduplicating dialer. */
  start(): void {
    this.hint({ kind: 'startup' });
  }

  /**
   * The doorbell (POST /wake, or `simulate` after an outcome); bursts coalesce.
   * `requestIds` name the API requests whose writes rang it (logged with the
   * wake); `reload`: the ring follows a NOTIFY reload, which a sleeping worker
   * did not hear — a full resync.
   */
  wake(requestIds: string[] = [], reload = false): void {
    this.counters.doorbells++;
    this.hint({ kind: 'doorbell', needsPlanRead: !this.connections.isListening, requestIds });
    if (reload) this.hint({ kind: 'resync', reason: 'reload rung at the doorbell' });
  }

  /** SIGHUP, or anything that knows the in-memory plan cannot be trusted. */
  resync(reason: string): void {
    this.hint({ kind: 'resync', reason });
  }

  health(): WorkerHealth {
    return toHealth({
      mode: this.deps.mode, state: this.stateName, planned: this.planned, evaluation: this.plan.evaluation,
      listening: this.connections.isListening, counters: this.counters, startedAt: this.startedAt, now: this.deps.clock.now(),
    });
  }

  /** Resolves when no pass is running and no dial request is in flight (tests and `simulate` await it after each event). */
  async idle(): Promise<void> {
    while (this.running || this.dispatcher.inFlightCount > 0) await (this.running ?? this.dispatcher.anyAnswered());
  }

  /** Stops claiming, waits up to SHUTDOWN_GRACE_S for dial requests in flight, ends connections. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.cancelTimer();
    const wasRunning = this.running;
    this.stateName = 'stopping';
    this.deps.logger.info('stopping: no new claims; waiting for dial requests in flight');
    if (wasRunning || this.dispatcher.inFlightCount > 0) {
      const graceEnds = new Date(this.deps.clock.now().getTime() + this.deps.settings.shutdownGraceS * 1000);
      let graceTimer: TimerHandle | null = null;
      const grace = new Promise<string>((resolve) => void (graceTimer = this.deps.clock.setTimer(graceEnds, () => resolve('grace over'))));
      const drained = (async () => {
        await wasRunning;
        while (this.dispatcher.inFlightCount > 0) await this.dispatcher.anyAnswered();
      })();
      const finished = (await Promise.race([drained.then(() => 'done'), grace])) === 'done';
      if (graceTimer) this.deps.clock.clearTimer(graceTimer);
      if (!finished) this.deps.logger.warn('shutdown grace period over with dial requests still in flight');
      else await this.recordLastAnswers();
    }
    await this.connections.close();
    this.deps.logger.info('stopped');
  }

  /** On the way out: the answers that came in after the last pass, recorded (else their claims are re-sent or expire). */
  private async recordLastAnswers(): Promise<void> {
    try {
      if (this.dispatcher.hasAnswers) await this.dispatcher.recordAnswers((await this.connections.open()).sql);
      if (this.connections.pool) {
        await this.deps.ledger?.wakeEnded(this.connections.pool, this.deps.clock.now(), this.counters); // still connected: the last wake is kept
        await publishRest(this.connections.pool, this.deps.clock.now(), this.report('stopping', null)).catch(() => {});
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not record the last dial answers while stopping');
    }
  }

  private hint(hint: Hint): void {
    this.hints.add(hint);
    this.kick();
  }

  private kick(): void {
    if (this.stopping || this.running || this.deps.clock.now().getTime() < this.backoffUntil) return;
    this.running = this.runPasses().finally(() => {
      this.running = null;
      if (this.hints.hasUntaken) this.kick();
    });
  }

  private async runPasses(): Promise<void> {
    while (!this.stopping && this.hints.hasUntaken) {
      this.cancelTimer();
      try {
        await this.pass();
        this.errorStreak = 0;
      } catch (error) {
        await this.recover(error);
        return;
      }
    }
  }

  private async pass(): Promise<void> {
    if (this.stateName !== 'dispatching') {
      this.counters.wakes++;
      this.deps.logger[this.isRoutinePoll() ? 'debug' : 'info']({ reasons: this.hints.pendingReasons() }, 'woke');
      this.deps.ledger?.wakeStarted(this.deps.clock.now(), this.hints.pendingReasons(), this.counters);
      this.deps.metrics?.wakeStarted(this.hints.pendingReasons());
    }
    this.stateName = 'dispatching';
    const p = newPassProgress();
    let sql: Sql | null = null;
    while (!this.stopping) {
      const work = this.hints.take();
      const connected = await this.connect(work);
      sql = connected.sql;
      await runRound(sql, work, this.plan, p, this.round, connected.trusted);
      if (p.progress || this.hints.seq > this.plan.readSeq) continue; // a hint came during the round: take it
      if (!this.plan.evaluation!.complete) {
        p.evaluateAll = true; // rest only on a plan evaluated whole: it may hold campaigns due now (a freed account slot)
        continue;
      }
      break;
    }
    if (p.dialed > 0) this.deps.logger.info({ dialed: p.dialed }, 'dialed');
    if (sql && !this.stopping) await this.settle(sql);
  }

  private async settle(sql: Sql): Promise<void> {
    const now = this.deps.clock.now();
    const ev = this.plan.evaluation!;
    const next = ev.nextWake;
    if (next && next.at > ev.at && next.at <= now) { // its time came during the pass (a refused claim's, say): another round, not a rest
      this.hints.add({ kind: 'timer', reason: `${next.reason} (came during the pass)` });
      return;
    }
    const decision = decideRest(this.deps.mode, ev, now);
    const { wake, refused } = refuseSpinningWake(decision.wake, ev.at, now, this.counters.refusedWakes);
    if (refused) {
      this.counters.refusedWakes++;
      this.deps.logger.error({ refused: refused.at.toISOString(), reason: refused.reason },
        'refusing a next wake at or before now with nothing dispatchable (it would spin); backing off');
    }
    const unrecorded = await this.deps.ledger?.wakeEnded(sql, now, this.counters);
    if (unrecorded) this.deps.logger.warn({ err: unrecorded }, 'could not write the activity ledger; kept for the next wake');
    if (restNeedsPublishing(this.lastPublished, decision.state, now)) {
      const published = await publishRest(sql, now, this.report(decision.state, wake)).then(() => true, (error: unknown) => {
        this.deps.logger.warn({ err: error }, 'could not publish worker state');
        return false;
      });
      if (published) this.lastPublished = { state: decision.state, at: now };
    }
    if (decision.state === 'asleep') await this.connections.close();
    if (this.stopping) return; // stop() came during the writes above: it owns the state now, and no timer may outlive it
    this.stateName = decision.state;
    this.planned = wake;
    if (wake) this.timer = this.deps.clock.setTimer(wake.at, () => this.onTimer(wake.reason, wake.at));
    const gist = `${decision.state} ${wake?.reason ?? ''} ${ev.inFlight}`; // the same rest again is not news
    const fields = { nextWake: wake?.at.toISOString() ?? null, reason: wake?.reason ?? 'nothing planned', inFlight: ev.inFlight };
    this.deps.logger[gist === this.lastRestLine ? 'debug' : 'info'](fields, decision.state);
    this.lastRestLine = gist;
  }

  private report(state: WorkerStateName, wake: PlannedWake | null) {
    return { workerId: this.deps.settings.workerId, state, wake, inFlight: this.plan.evaluation?.inFlight ?? 0, counters: this.counters };
  }

  /**
   * `trusted`: LISTEN was already open when the pass began, so the in-memory
   * plan has heard of every change since it was read; a pass that had to start
   * LISTEN (after sleeping, or in a mode that does not listen) catches up on
   * the campaigns marked changed since the plan's watermark before a timer or
   * doorbell may rely on it (a lost LISTEN: the whole plan).
   */
  private async connect(work: TakenHints): Promise<{ sql: Sql; trusted: boolean }> {
    const wasListening = this.connections.isListening;
    const { sql, relistened } = await this.connections.open();
    if (relistened) {
      work.fullResync = true; // notifications may have been missed while it was down
      this.deps.metrics?.listenerReconnected();
      this.deps.logger.info('listening again after the connection was lost: full resync');
    }
    return { sql, trusted: wasListening && !relistened };
  }

  private async recover(error: unknown): Promise<void> {
    this.counters.errors++;
    this.errorStreak++;
    const delayMs = Math.min(1000 * 2 ** (this.errorStreak - 1), 60_000);
    this.deps.logger.error({ err: error, retryInMs: delayMs }, 'pass failed; dropping connections and retrying with a full resync');
    this.plan.campaigns.forget();
    this.deps.ledger?.wakeAborted(this.deps.clock.now(), this.counters);
    await this.connections.close().catch(() => {});
    if (this.stopping) return;
    const at = new Date(this.deps.clock.now().getTime() + delayMs);
    this.backoffUntil = at.getTime();
    this.stateName = 'waiting';
    this.planned = { at, reason: 'retry after error' };
    this.timer = this.deps.clock.setTimer(at, () => {
      this.timer = null;
      this.backoffUntil = 0;
      this.hint({ kind: 'resync', reason: 'retry after error' });
    });
  }

  private onTimer(reason: string, plannedAt: Date): void {
    this.timer = null;
    this.deps.metrics?.timerFired(plannedAt, this.deps.clock.now());
    this.hint({ kind: 'timer', reason });
  }

  private cancelTimer(): void {
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private onNotification(payload: string): void {
    this.counters.notifications++;
    const { hints, problem } = hintsForNotification(payload);
    if (problem) this.deps.logger.warn({ problem, payload: payload.slice(0, 200) }, 'unreadable NOTIFY: full resync');
    // Under the account cap a finished call frees a slot for any campaign: every
    // read brings the account-wide totals, and the evaluation covers the whole plan.
    for (const h of hints) this.hints.add(h);
    this.kick();
  }

  private onListenerLost(): void {
    this.counters.listenerLost++;
    if (this.stateName === 'dispatching') {
      this.deps.logger.warn('listening connection lost mid-pass: re-LISTEN and full resync');
      this.hint({ kind: 'listener_lost' });
    } else {
      this.deps.logger.info({ state: this.stateName }, 'listening connection closed: left closed until there is work');
    }
  }

  private isRoutinePoll(): boolean {
    return this.deps.mode.kind !== 'wakeplan' && this.hints.pendingReasons().every((r) => r === 'timer (poll)');
  }
}
