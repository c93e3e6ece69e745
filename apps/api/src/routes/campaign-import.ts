// POST /api/campaigns/import — a campaign from a multipart form: the campaign
// fields first, then the CSV file `contacts`, streamed into the parser as it
// arrives. The campaign and its contacts are written in one transaction, or
// (any invalid row, all-or-nothing by default) nothing is.
import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import { httpErrors } from '@fastify/sensible';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RouteDeps } from '../deps.ts';
import { validationFailed } from '../errors.ts';
import { checkNewCampaign, type CampaignValues } from '../campaigns/campaign-input.ts';
import { createdCampaignBody } from '../campaigns/create-campaign.ts';
import { coerceFormFields } from '../campaigns/multipart-fields.ts';
import { assertDeclaredSize, collectCsvContacts } from '../contacts/csv-import.ts';
import { ContactCollector } from '../contacts/import-collector.ts';
import { checkAgainst } from '../plugins/validation.ts';
import { CreatedCampaign, ImportCampaignFields } from '../schemas/campaign.ts';
import { Envelope, ok } from '../schemas/common.ts';
import { ContactsQuery } from '../schemas/contacts.ts';

/** Room for the campaign fields and multipart framing on top of the file itself. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * The form as the API description shows it: the campaign fields, then the file. A
 * generated client sends the file as a File/Blob (`format: binary`); the
 * description's `encoding` (plugins/openapi-document.ts) says how list and object
 * fields are written.
 */
const ImportForm = Type.Object({
  ...ImportCampaignFields.properties,
  contacts: Type.String({
    format: 'binary', 'x-content-type': 'text/csv', description: 'the CSV file (text/csv, UTF-8, header row first); the last part of the form',
  } as never),
}, { title: 'CampaignImportForm' });

const FORM_RULES = 'Send the campaign fields first and the CSV file `contacts` last: the file is read as it arrives, so a field '
  + 'after it is refused (422). List fields (`days_of_week`, `blackout_dates`, `retry_on`) are the field repeated '
  + '(`days_of_week=1`, `days_of_week=2`), one comma-separated value (`1,2,3`) or a JSON array; `recipient_calling_hours` '
  + 'is `08:00-21:00` or JSON; an empty value means "not given" and `null` clears a nullable field. Numbers are written '
  + 'in decimal. The same rules as `POST /api/campaigns` then apply, with the same messages.';

export const campaignImportRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  await app.register(multipart, {
    // One byte over the CSV limit, so CsvByteGuard sees the overflow and answers 413 itself.
    limits: { fileSize: deps.config.csvMaxBytes + 1, files: 1, fields: 40, fieldSize: 64 * 1024, parts: 42 },
  });

  app.post('/api/campaigns/import', {
    bodyLimit: deps.config.csvMaxBytes + FORM_OVERHEAD_BYTES,
    schema: {
      operationId: 'importCampaign',
      summary: 'Create a campaign from a form: campaign fields, then the CSV file `contacts`',
      description: `Creates the campaign and its contacts in one transaction, or nothing (any invalid row, unless \`skip_invalid=true\`). ${FORM_RULES} `
        + 'Answers 201 with the campaign and the import report; `Location` names the campaign.',
      tags: ['campaigns'],
      querystring: ContactsQuery,
      consumes: ['multipart/form-data'],
      body: { content: { 'multipart/form-data': { schema: ImportForm } } } as never,
      response: { 201: Envelope(CreatedCampaign) },
    },
  }, async (request, reply) => {
    const at = deps.now();
    assertDeclaredSize(request.headers['content-length'], deps.config.csvMaxBytes + FORM_OVERHEAD_BYTES);
    const { values, collector } = await readImportForm(request, deps, request.query.default_country);
    collector.assertAcceptable(request.query.skip_invalid ?? false, 'csv');
    const created = await createdCampaignBody(deps, values, collector, at, request.id);
    void reply.status(201).header('location', `/api/campaigns/${created.id}`);
    return ok(created);
  });
};

async function readImportForm(request: FastifyRequest, deps: RouteDeps, queryCountry: string | undefined):
  Promise<{ values: CampaignValues; collector: ContactCollector }> {
  const fields = new Map<string, string[]>();
  let result: { values: CampaignValues; collector: ContactCollector } | null = null;
  try {
    for await (const part of request.parts() as AsyncIterable<Multipart>) {
      if (part.type === 'field') {
        if (result) throw formError(`the field ${JSON.stringify(part.fieldname)} came after the contacts file: send the campaign fields first`);
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), String(part.value)]);
        continue;
      }
      result = await readContactsFile(part, fields, deps, queryCountry);
    }
  } catch (error) {
    throw asMultipartError(error);
  }
  if (!result) throw formError('the CSV file "contacts" is missing: send the campaign fields, then the file as the form field "contacts"');
  return result;
}

async function readContactsFile(part: MultipartFile, fields: Map<string, string[]>, deps: RouteDeps, queryCountry: string | undefined) {
  if (part.fieldname !== 'contacts') {
    part.file.resume();
    throw formError(`unexpected file field ${JSON.stringify(part.fieldname)}: send the CSV file as "contacts"`);
  }
  const checked = checkAgainst<ImportCampaignFields>(ImportCampaignFields, coerceFormFields(fields));
  let values: CampaignValues;
  try {
    if (!checked.ok) throw validationFailed(checked.problems);
    values = checkNewCampaign(checked.value, deps.config.defaultTimezone);
  } catch (error) {
    part.file.resume(); // let the rest of the upload drain; the fields are the problem
    throw error;
  }
  const collector = new ContactCollector(queryCountry?.toUpperCase() ?? values.default_country);
  await collectCsvContacts(part.file, { maxRows: deps.config.csvMaxRows, maxBytes: deps.config.csvMaxBytes }, collector);
  if (part.file.truncated) throw httpErrors.payloadTooLarge(`the file is larger than ${deps.config.csvMaxBytes} bytes (CSV_MAX_BYTES)`);
  return { values, collector };
}

function formError(message: string): Error {
  return httpErrors.unprocessableEntity(message);
}

/** Busboy's own complaints (a cut-off or malformed body) carry no status: they are the client's 400. */
function asMultipartError(error: unknown): unknown {
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' || (typeof e.code === 'string' && e.code.startsWith('FST_'))) return error;
  return httpErrors.badRequest(`the multipart body could not be read: ${e.message ?? String(error)}`);
}
