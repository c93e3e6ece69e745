// Campaign request and response schemas (DESIGN.md §5). The request schemas
// carry every rule the server enforces that a schema can say — HH:mm, real
// calendar dates, weekdays 1–7, the shape of a zone name, ranges — so the API
// description shows them and a client can check before sending; what only the
// window logic can judge (the zone exists, start_date <= end_date) is checked
// by schedule-core in campaigns/campaign-input.ts, with the same words.
import { Type, type Static } from 'typebox';
import { CALL_STATUSES, CAMPAIGN_STATUSES, RETRYABLE_OUTCOMES } from '@wakeplan/db';
import { CalendarDate, Instant, NullableInstant, TimeZoneName, Uuid, WallTime } from './common.ts';
import { ContactInput, DefaultCountry, ImportReport } from './contacts.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const RecipientHoursInput = Type.Object({
  start: WallTime('HH:mm in the contact\'s zone: the first minute a recipient may be called'),
  end: WallTime('HH:mm; end <= start crosses midnight'),
}, { additionalProperties: false, description: 'the hours a recipient may be called, in their own zone (e.g. 08:00–21:00)' });

const WEEKDAY = 'an ISO weekday 1–7 (1 = Monday, 7 = Sunday)';

/** Every campaign field a client may set; all optional here, `CreateCampaignBody` requires some. */
const campaignFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  agent_id: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: TimeZoneName('IANA zone of the window; required unless DEFAULT_TIMEZONE is set'),
  first_call_time: WallTime('when the window opens, HH:mm 24-hour; the window is [first_call_time, last_call_time)'),
  last_call_time: WallTime('when the window closes, HH:mm; last_call_time <= first_call_time crosses midnight'),
  days_of_week: Type.Array(Type.Integer({ minimum: 1, maximum: 7, 'x-expected': WEEKDAY } as never), {
    minItems: 1, maxItems: 7, 'x-expected': `a list of 1 to 7 days, each ${WEEKDAY}`,
    description: 'the days (in the zone) on which the window opens; default all',
  } as never),
  start_date: Nullable(CalendarDate('first local date on which the window opens (inclusive)')),
  end_date: Nullable(CalendarDate('last local date on which the window opens (inclusive); after it the campaign expires')),
  blackout_dates: Type.Array(CalendarDate(), { maxItems: 1000, description: 'local dates on which the window does not open' }),
  max_concurrent_calls: Type.Integer({ minimum: 1, maximum: 1000 }),
  calls_per_minute: Nullable(Type.Integer({ minimum: 1, maximum: 6000 })),
  max_attempts: Type.Integer({ minimum: 1, maximum: 20 }),
  retry_delay_minutes: Type.Integer({ minimum: 0, maximum: 525_600 }),
  retry_on: Type.Array(Type.Enum([...RETRYABLE_OUTCOMES]), { uniqueItems: true }),
  recipient_calling_hours: Nullable(RecipientHoursInput),
  default_country: Nullable(DefaultCountry),
};

export const CreateCampaignBody = Type.Object({
  name: campaignFields.name,
  agent_id: campaignFields.agent_id,
  timezone: Type.Optional(campaignFields.timezone),
  first_call_time: campaignFields.first_call_time,
  last_call_time: campaignFields.last_call_time,
  days_of_week: Type.Optional(campaignFields.days_of_week),
  start_date: Type.Optional(campaignFields.start_date),
  end_date: Type.Optional(campaignFields.end_date),
  blackout_dates: Type.Optional(campaignFields.blackout_dates),
  max_concurrent_calls: Type.Optional(campaignFields.max_concurrent_calls),
  calls_per_minute: Type.Optional(campaignFields.calls_per_minute),
  max_attempts: Type.Optional(campaignFields.max_attempts),
  retry_delay_minutes: Type.Optional(campaignFields.retry_delay_minutes),
  retry_on: Type.Optional(campaignFields.retry_on),
  recipient_calling_hours: Type.Optional(campaignFields.recipient_calling_hours),
  default_country: Type.Optional(campaignFields.default_country),
  contacts: Type.Optional(Type.Array(ContactInput, { description: 'optional contacts to import with the campaign' })),
}, { additionalProperties: false, title: 'CampaignCreate' });
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;

/** The campaign fields of the multipart import: the same as the JSON create, without inline contacts. */
export const ImportCampaignFields = Type.Omit(CreateCampaignBody, ['contacts']);
export type ImportCampaignFields = Static<typeof ImportCampaignFields>;

export const PatchCampaignBody = Type.Partial(Type.Object(campaignFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
  title: 'CampaignUpdate',
});
export type PatchCampaignBody = Static<typeof PatchCampaignBody>;

const CampaignStats = Type.Object(
  Object.fromEntries([...CALL_STATUSES, 'total'].map((s) => [s, Type.Integer()])) as Record<(typeof CALL_STATUSES)[number] | 'total', ReturnType<typeof Type.Integer>>,
  { title: 'CampaignStats', description: 'how many of the campaign\'s contacts are in each state' },
);

export const Campaign = Type.Object({
  id: Uuid,
  name: Type.String(),
  agent_id: Type.String(),
  status: Type.Enum([...CAMPAIGN_STATUSES]),
  timezone: Type.String(),
  first_call_time: Type.String(),
  last_call_time: Type.String(),
  window: Type.String({ description: 'e.g. "09:00-17:00"' }),
  days_of_week: Type.Array(Type.Integer()),
  start_date: Type.Union([Type.String(), Type.Null()]),
  end_date: Type.Union([Type.String(), Type.Null()]),
  blackout_dates: Type.Array(Type.String()),
  max_concurrent_calls: Type.Integer(),
  calls_per_minute: Type.Union([Type.Integer(), Type.Null()]),
  max_attempts: Type.Integer(),
  retry_delay_minutes: Type.Integer(),
  retry_on: Type.Array(Type.String()),
  recipient_calling_hours: Type.Union([Type.Object({ start: Type.String(), end: Type.String() }), Type.Null()]),
  default_country: Type.Union([Type.String(), Type.Null()]),
  stats: CampaignStats,
  next_open_at: Type.Union([Instant, Type.Null()], { description: 'when the window next opens (now if open); null if never again' }),
  last_dial_at: NullableInstant,
  created_at: Instant,
  updated_at: Instant,
  completed_at: NullableInstant,
}, { title: 'Campaign' });
export type Campaign = Static<typeof Campaign>;

export const CreatedCampaign = Type.Object({ ...Campaign.properties, import: Type.Optional(ImportReport) }, {
  title: 'CreatedCampaign', description: 'the campaign, with the import report when contacts came along',
});

export const ListCampaignsQuery = Type.Object({
  status: Type.Optional(Type.Enum([...CAMPAIGN_STATUSES])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
}, { additionalProperties: false });

export const CampaignList = Type.Object({
  campaigns: Type.Array(Campaign),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
}, { title: 'CampaignList' });

export const AppendContactsResult = Type.Object({ ...ImportReport.properties, campaign_status: Type.Enum([...CAMPAIGN_STATUSES]) }, {
  title: 'AppendContactsResult',
});
