// Request validation: TypeBox schemas compiled once per route, every problem
// reported at once with the request's own (snake_case) field name and the
// reason, as `VALIDATION_FAILED` details.
//
// Invariants: bodies are checked as sent (no coercion: a string "5" is not a
// number); querystrings, params and headers are converted from text first. A
// path parameter that fails its schema (a malformed id) is a 422 naming the
// parameter — a 404 is for a well-formed id that matches nothing. A rule whose
// schema says `x-expected` (schemas/common.ts) is reported as "must be
// <x-expected>, got …", the same words the domain checks use. Streamed bodies
// (multipart forms, CSV) are checked by their route as they arrive: there is no
// body object to check up front.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { validationFailed, type FieldProblem } from '../errors.ts';

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

const STREAMED_BODIES = new Set(['multipart/form-data', 'text/csv', 'application/csv']);

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart, contentType }) => {
  if (httpPart === 'body' && contentType && STREAMED_BODIES.has(contentType)) return (value: unknown) => ({ value });
  const check = Compile(schema);
  return (value: unknown) => {
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: validationFailed(describeSchemaErrors(check.Errors(converted) as SchemaError[], converted, rootName(httpPart), schema)) };
  };
};

/** Checks a value against a schema outside Fastify's pipeline (multipart fields), with the same messages. */
export function checkAgainst<T>(schema: TSchema, value: unknown): { ok: true; value: T } | { ok: false; problems: FieldProblem[] } {
  const check = Compile(schema);
  if (check.Check(value)) return { ok: true, value: value as T };
  return { ok: false, problems: describeSchemaErrors(check.Errors(value) as SchemaError[], value, 'body', schema) };
}

function describeSchemaErrors(errors: SchemaError[], data: unknown, root: string, schema: TSchema): FieldProblem[] {
  const within = (u: SchemaError, e: SchemaError) => e !== u && e.schemaPath.startsWith(`${u.schemaPath}/${u.keyword}/`);
  // "X or null" given an X with problems inside it (an object, a list): report those problems, field by field.
  const seeThrough = new Set(errors.filter((u) => (u.keyword === 'anyOf' || u.keyword === 'oneOf')
    && errors.some((e) => within(u, e) && e.keyword === 'type' && e.params.type === 'null')
    && errors.some((e) => within(u, e) && e.instancePath.length > u.instancePath.length)));
  const unions = errors.filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && !seeThrough.has(e));
  const inUnion = (e: SchemaError) => unions.some((u) => within(u, e))
    || [...seeThrough].some((u) => within(u, e) && e.instancePath === u.instancePath);
  const problems: FieldProblem[] = [];
  for (const e of errors) {
    if (seeThrough.has(e) || inUnion(e)) continue;
    if (isAdditionalPropertiesEcho(e)) {
      problems.push({ field: fieldName(e.instancePath, root), message: 'is not a known field' });
    } else if (e.keyword === 'required') {
      for (const name of requiredNames(e)) problems.push({ field: fieldName(`${e.instancePath}/${name}`, root), message: 'is required' });
    } else if (e.keyword === 'additionalProperties') {
      for (const name of stringList(e.params.additionalProperties)) {
        problems.push({ field: fieldName(`${e.instancePath}/${name}`, root), message: 'is not a known field' });
      }
    } else {
      const message = e.keyword === 'anyOf' || e.keyword === 'oneOf' ? unionMessage(e, errors, schema) : ruleMessage(e, schema);
      problems.push({ field: fieldName(e.instancePath, root), message: `${message}, got ${describe(valueAt(data, e.instancePath))}` });
    }
  }
  return dedupe(problems);
}

/** "must be <x-expected>" when the rule's schema gives its words, else the plain message. */
function ruleMessage(e: SchemaError, schema: TSchema): string {
  const expected = expectedWords(schema, e.schemaPath);
  return expected ? `must be ${expected}` : plainMessage(e);
}

function plainMessage(e: SchemaError): string {
  if (e.keyword === 'enum') return `must be one of ${stringList(e.params.allowedValues).join(', ')}`;
  if (e.keyword === 'format') return `must be ${formatWords(String(e.params.format))}`;
  return e.message;
}

function formatWords(format: string): string {
  if (format === 'uuid') return 'a UUID';
  if (format === 'date-time') return 'an ISO 8601 instant with a time zone offset, e.g. "2026-03-02T15:00:00Z"';
  if (format === 'date') return 'a date written YYYY-MM-DD';
  return `in format "${format}"`;
}

/** "must be integer or null" rather than three lines about anyOf branches. */
function unionMessage(u: SchemaError, errors: SchemaError[], schema: TSchema): string {
  const branches = errors.filter((e) => e.instancePath === u.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/${u.keyword}/`));
  const nullable = branches.some((b) => b.keyword === 'type' && b.params.type === 'null');
  const others = [...new Set(branches.filter((b) => !(b.keyword === 'type' && b.params.type === 'null')).map((b) => ruleMessage(b, schema)))];
  const text = others.length > 0 ? others.join(' or ') : 'is not an allowed value';
  return nullable ? `${text} (or null)` : text;
}

/** The `x-expected` words of the schema node an error points at (`#/properties/days_of_week/items`), if any. */
function expectedWords(schema: TSchema, schemaPath: string): string | undefined {
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  const words = (node as Record<string, unknown> | undefined)?.['x-expected'];
  return typeof words === 'string' ? words : undefined;
}

/** TypeBox reports `additionalProperties: false` as "schema is false" at the property (sometimes only so). */
function isAdditionalPropertiesEcho(e: SchemaError): boolean {
  return e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties');
}

function requiredNames(e: SchemaError): string[] {
  const list = stringList(e.params.requiredProperties);
  return list.length > 0 ? list : stringList([e.params.missingProperty]);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => v !== undefined).map(String) : [];
}

function rootName(httpPart: string | undefined): string {
  return httpPart === 'querystring' ? 'query' : (httpPart ?? 'body');
}

/** "/contacts/3/phone" → "contacts[3].phone"; the part itself when the path is empty. */
export function fieldName(instancePath: string, root: string): string {
  const parts = instancePath.split('/').filter(Boolean).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (parts.length === 0) return root;
  return parts.reduce((name, p) => (/^\d+$/.test(p) ? `${name}[${p}]` : name ? `${name}.${p}` : p), '');
}

function valueAt(data: unknown, instancePath: string): unknown {
  let cur: unknown = data;
  for (const p of instancePath.split('/').filter(Boolean)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
