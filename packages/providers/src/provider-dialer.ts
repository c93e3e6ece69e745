// Builds the dialer of the configured provider (worker main.ts calls this only
// when DIALER names one, through a dynamic import: no provider code loads for
// the simulated or webhook dialer).
import type { Clock } from '@wakeplan/runtime';
import { BolnaDialer } from './bolna/bolna-dialer.ts';
import type { ProviderDialer } from './dialer-port.ts';
import type { ProviderDialerConfig } from './provider-env.ts';
import { RetellDialer } from './retell/retell-dialer.ts';
import { TwilioDialer } from './twilio/twilio-dialer.ts';
import { VapiDialer } from './vapi/vapi-dialer.ts';

/** A call older than this is never taken for the attempt being reconciled. */
const DEFAULT_LOOKBACK_MS = 30 * 60_000;

export function createProviderDialer(config: ProviderDialerConfig, o: { clock: Clock; timeoutMs: number; lookbackMs?: number }): ProviderDialer {
  const timing = { clock: o.clock, timeoutMs: o.timeoutMs, lookbackMs: o.lookbackMs ?? DEFAULT_LOOKBACK_MS };
  switch (config.provider) {
    case 'twilio': return new TwilioDialer({ ...config, ...timing });
    case 'vapi': return new VapiDialer({ ...config, ...timing });
    case 'retell': return new RetellDialer({ ...config, ...timing });
    case 'bolna': return new BolnaDialer({ ...config, ...timing });
  }
}
