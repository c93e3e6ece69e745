// The providers' environment variables (names fixed by issue 12), read through
// the app's EnvReader so their problems join every other configuration problem:
// one line per missing or bad variable, all at once, exit 2.
//
//   worker (DIALER=<provider>): what its dialer needs to create and look up calls;
//   the API: the secrets that authenticate each provider's callbacks (optional:
//   a provider whose secret is unset has its callback route answer 401).
//
// Invariant: nothing here reads process.env; the composition roots pass theirs in.
import type { EnvReader } from '@wakeplan/runtime';

export const PROVIDER_NAMES = ['twilio', 'vapi', 'retell', 'bolna'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type ProviderDialerConfig =
  | { provider: 'twilio'; accountSid: string; authToken: string; fromNumber: string; twimlUrl: string; apiBaseUrl: string; callsPerSecond: number; publicUrl: string }
  | { provider: 'vapi'; apiKey: string; phoneNumberId: string; apiBaseUrl: string }
  | { provider: 'retell'; apiKey: string; fromNumber: string; apiBaseUrl: string }
  | { provider: 'bolna'; apiKey: string; fromNumber: string | undefined; apiBaseUrl: string };

export const DEFAULT_API_BASE_URLS: Record<ProviderName, string> = {
  twilio: 'https://api.twilio.com',
  vapi: 'https://api.vapi.ai',
  retell: 'https://api.retellai.com',
  bolna: 'https://api.bolna.ai',
};

/** A Bolna webhook token is the only thing guarding its route: long enough not to be guessed. */
const MIN_WEBHOOK_TOKEN_LENGTH = 16;

export function readProviderDialerEnv(r: EnvReader, provider: ProviderName): ProviderDialerConfig {
  const need = (name: string, why: string): string => {
    const value = r.string(name);
    if (value === undefined) r.problem(`${name} is required when DIALER=${provider} (${why})`);
    return value ?? '';
  };
  const apiBaseUrl = (r.url(`${provider.toUpperCase()}_API_BASE_URL`, DEFAULT_API_BASE_URLS[provider]) ?? '').replace(/\/+$/, '');
  switch (provider) {
    case 'twilio': {
      const accountSid = need('TWILIO_ACCOUNT_SID', 'the account that places the calls, AC…');
      if (accountSid && !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) r.problem(`TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits, got "${accountSid}"`);
      const authToken = need('TWILIO_AUTH_TOKEN', 'the API password; the API checks X-Twilio-Signature with it too');
      const fromNumber = need('TWILIO_FROM_NUMBER', 'your Twilio number, E.164');
      const twimlUrl = need('TWILIO_TWIML_URL', 'the TwiML the call runs');
      if (twimlUrl) r.url('TWILIO_TWIML_URL');
      const publicUrl = need('PUBLIC_URL', "the API's public base URL: Twilio posts each call's status to PUBLIC_URL/api/provider/twilio/status");
      if (publicUrl) r.url('PUBLIC_URL');
      const callsPerSecond = r.int('TWILIO_CALLS_PER_SECOND', 1, { min: 1, max: 100 });
      return { provider, accountSid, authToken, fromNumber, twimlUrl, apiBaseUrl, callsPerSecond, publicUrl: publicUrl.replace(/\/+$/, '') };
    }
    case 'vapi': {
      const apiKey = need('VAPI_API_KEY', 'the private API key');
      const phoneNumberId = need('VAPI_PHONE_NUMBER_ID', 'the Vapi phone number the calls come from');
      need('VAPI_WEBHOOK_SECRET', "the credential Vapi sends with its events; the API checks it (set it on both services)");
      return { provider, apiKey, phoneNumberId, apiBaseUrl };
    }
    case 'retell': {
      const apiKey = need('RETELL_API_KEY', 'the API key; the API checks x-retell-signature with it too');
      const fromNumber = need('RETELL_FROM_NUMBER', 'your Retell number, E.164');
      return { provider, apiKey, fromNumber, apiBaseUrl };
    }
    case 'bolna': {
      const apiKey = need('BOLNA_API_KEY', 'the API key');
      const token = need('BOLNA_WEBHOOK_TOKEN', 'the secret in the webhook URL /api/provider/bolna/<token>; the API checks it (set it on both services)');
      checkWebhookToken(r, token);
      return { provider, apiKey, fromNumber: r.string('BOLNA_FROM_NUMBER'), apiBaseUrl };
    }
  }
}

/** What the API needs to authenticate each provider's callbacks. */
export interface CallbackSecrets {
  twilioAuthToken: string | undefined;
  vapiWebhookSecret: string | undefined;
  retellApiKey: string | undefined;
  bolnaWebhookToken: string | undefined;
}

export function readCallbackSecrets(r: EnvReader): CallbackSecrets {
  const bolnaWebhookToken = r.string('BOLNA_WEBHOOK_TOKEN');
  if (bolnaWebhookToken !== undefined) checkWebhookToken(r, bolnaWebhookToken);
  return {
    twilioAuthToken: r.string('TWILIO_AUTH_TOKEN'),
    vapiWebhookSecret: r.string('VAPI_WEBHOOK_SECRET'),
    retellApiKey: r.string('RETELL_API_KEY'),
    bolnaWebhookToken,
  };
}

function checkWebhookToken(r: EnvReader, token: string): void {
  if (token && (token.length < MIN_WEBHOOK_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))) {
    r.problem(`BOLNA_WEBHOOK_TOKEN must be at least ${MIN_WEBHOOK_TOKEN_LENGTH} characters of A-Z, a-z, 0-9, _ or - (it is a URL path segment)`);
  }
}
