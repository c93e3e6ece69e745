-- What the provider said about each attempt (issue 12), so results can show it:
-- its own reason the call ended, the recording and the transcript (URL or text).
-- Nullable columns without defaults: adding them rewrites nothing.
alter table call_attempts add column ended_reason text;
alter table call_attempts add column recording_url text;
alter table call_attempts add column transcript text;

-- Callbacks that carry only the provider's call id (Bolna, or a Vapi/Retell
-- call without our metadata) find their attempt through it.
create index call_attempts_provider_call on call_attempts (provider_call_id) where provider_call_id is not null;
