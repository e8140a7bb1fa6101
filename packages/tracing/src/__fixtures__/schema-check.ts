import type { JsonSchema } from './genai-semconv-schemas';

// ---------------------------------------------------------------------------------------------
// A checker for the subset of JSON Schema the released files use. It is stricter than the schema
// in one way: where a part's (or tool's) `type` names a specific definition (`text`, `tool_call`,
// `function`, …), the value must match that definition, so a malformed text part cannot pass as
// the catch-all GenericPart.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  if (schema.$ref === undefined) return schema;
  const prefix = '#/$defs/';
  if (!schema.$ref.startsWith(prefix)) return undefined; // the draft-07 meta-schema
  const target = root.$defs?.[schema.$ref.slice(prefix.length)];
  if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
  return target;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function visit(schemaIn: JsonSchema, value: unknown, path: string, root: JsonSchema, errors: string[]): void {
  const schema = resolve(schemaIn, root);
  if (schema === undefined) {
    if (typeof value !== 'boolean' && !isObject(value)) errors.push(`${path}: not a JSON Schema`);
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push(`${path}: expected ${schema.type}, got ${JSON.stringify(value)}`);
    return;
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(`${path}: expected ${schema.const}`);
  if (schema.enum !== undefined && !schema.enum.includes(value as string))
    errors.push(`${path}: not in enum`);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) {
    const type = isObject(value) ? value.type : undefined;
    const named = alternatives.filter((alt) => resolve(alt, root)?.properties?.type?.const === type);
    const candidates = named.length > 0 ? named : alternatives;
    const failures = candidates.map((alt) => {
      const found: string[] = [];
      visit(alt, value, path, root, found);
      return found;
    });
    const passing = failures.filter((found) => found.length === 0).length;
    if (schema.oneOf !== undefined ? passing !== 1 : passing === 0) {
      errors.push(`${path}: matches ${passing} alternatives (${failures.flat().join('; ')})`);
    }
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${path}: missing ${key}`);
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (key in value) visit(property, value[key], `${path}.${key}`, root, errors);
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(value)) {
        if (!(key in (schema.properties ?? {}))) errors.push(`${path}: unexpected ${key}`);
      }
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (const [index, item] of value.entries()) visit(schema.items, item, `${path}[${index}]`, root, errors);
  }
}

/** The schema errors of `value` as it is serialized (undefined fields vanish, as on a span). */
export function schemaErrors(schema: JsonSchema, value: unknown): string[] {
  const json: Json = JSON.parse(JSON.stringify(value));
  const errors: string[] = [];
  visit(schema, json, '$', schema, errors);
  return errors;
}
