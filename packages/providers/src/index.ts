// @wakeplan/providers: the four real voice providers behind one shape — a
// dialer that reconciles (none of them deduplicates a create), the variables it
// needs, and for the API the verification and reading of each provider's
// callbacks into the neutral event. Plain fetch throughout (README: Providers).
export { BolnaDialer } from './bolna/bolna-dialer.ts';
export { readBolnaCallback, verifyBolnaToken } from './bolna/bolna-callback.ts';
export type { CallLookup, DialResult, ProviderDialer } from './dialer-port.ts';
export { createProviderDialer } from './provider-dialer.ts';
export type { CallbackTarget, CallbackVerdict, CallDetails, ProviderCallback } from './provider-callback.ts';
export { readRetellCallback, retellSignature, verifyRetellSignature } from './retell/retell-callback.ts';
export { RetellDialer } from './retell/retell-dialer.ts';
export { readTwilioCallback, twilioSignature, verifyTwilioSignature } from './twilio/twilio-callback.ts';
export { TwilioDialer } from './twilio/twilio-dialer.ts';
export { readVapiCallback, verifyVapiRequest } from './vapi/vapi-callback.ts';
export { VapiDialer } from './vapi/vapi-dialer.ts';
