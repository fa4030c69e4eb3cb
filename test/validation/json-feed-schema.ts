import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA_DIR = join(import.meta.dirname, '../fixtures/schemas');

/**
 * The published JSON Feed schemas are draft-04 (`id`, `$schema` draft-04), which Ajv 8 no
 * longer reads; they use nothing else draft-04-specific, so renaming `id` to `$id` and
 * dropping `$schema` lets Ajv 8 apply them unchanged. The 1.1 schema refers to the 1.0 one
 * as `feed-1`, so both are loaded.
 */
function loadSchema(file: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  return id === undefined ? rest : { $id: id, ...rest };
}

let validator: ValidateFunction | undefined;

/** The compiled JSON Feed 1.1 validator (compiled once per test file). */
export function jsonFeedValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  ajv.addSchema(loadSchema('jsonfeed-1.0.schema.json'), 'feed-1');
  validator = ajv.compile(loadSchema('jsonfeed-1.1.schema.json'));
  return validator;
}

/** Schema errors of a JSON Feed 1.1 document, as readable strings (empty when valid). */
export function validateJsonFeedSchema(body: string): string[] {
  const validate = jsonFeedValidator();
  if (validate(JSON.parse(body))) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'invalid'}`);
}
