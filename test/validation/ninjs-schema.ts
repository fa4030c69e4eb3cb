import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SCHEMA_DIR = join(import.meta.dirname, '../fixtures/schemas');

function loadSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
}

let validator: ValidateFunction | undefined;

/**
 * The IPTC ninjs 3.1 validator (iptc/newsinjson `specification/ninjs-schema_3.1.json`, JSON
 * Schema 2020-12). ninjs refers to GeoJSON by its public `$id`; the GeoJSON schema (draft-07)
 * is registered first without its `$schema` key, so the reference resolves offline.
 */
export function ninjsValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const { $schema: _draft, ...geojson } = loadSchema('geojson.schema.json');
  ajv.addSchema(geojson);
  validator = ajv.compile(loadSchema('ninjs-3.1.schema.json'));
  return validator;
}
