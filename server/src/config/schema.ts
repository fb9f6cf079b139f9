// Validates a configuration file's data against schemas/gorubric.schema.json, the same schema VS
// Code uses to complete and check .gorubric.json (package.json, jsonValidation). Only the part of
// JSON Schema that file uses is implemented; SCHEMA_KEYWORDS lists it, and a test fails if the
// schema starts using anything else, so the two cannot drift apart silently.
import schemaJson from '../../../schemas/gorubric.schema.json';

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: readonly unknown[];
  minLength?: number;
  $ref?: string;
  definitions?: Record<string, Schema>;
}

/** The keywords validate() understands, and the annotations it ignores. */
export const SCHEMA_KEYWORDS = {
  validation: ['type', 'properties', 'additionalProperties', 'items', 'enum', 'minLength', '$ref', 'definitions'],
  annotation: ['$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'examples'],
} as const;

export const CONFIG_SCHEMA = schemaJson as Schema;

export interface SchemaIssue {
  /** Where, as a reader would write it: `rules.GR101`, `exclude[2]`, or `` for the whole file. */
  path: string;
  /** A key the schema does not know: reported, then ignored. Everything else makes the data invalid. */
  unknownKey: boolean;
  message: string;
}

export function validate(value: unknown, schema: Schema = CONFIG_SCHEMA, root: Schema = schema, path = ''): SchemaIssue[] {
  if (schema.$ref) return validate(value, resolveRef(root, schema.$ref), root, path);
  const issues: SchemaIssue[] = [];
  const at = path === '' ? '' : `${path}: `;
  if (schema.type && !hasType(value, schema.type)) {
    return [{ path, unknownKey: false, message: `${at}expected ${article(schema.type)}, got ${describeType(value)}` }];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    issues.push({ path, unknownKey: false, message: `${at}${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}` });
  }
  if (schema.minLength !== undefined && typeof value === 'string' && value.length < schema.minLength) {
    issues.push({ path, unknownKey: false, message: `${at}must not be empty` });
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((item, i) => issues.push(...validate(item, schema.items!, root, `${path}[${i}]`)));
  }
  if (isObject(value) && (schema.properties || schema.additionalProperties !== undefined)) {
    const known = schema.properties ?? {};
    for (const [key, item] of Object.entries(value)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      const property = Object.hasOwn(known, key) ? known[key] : schema.additionalProperties;
      if (property === false) {
        const names = Object.keys(known).filter((k) => !k.startsWith('$'));
        issues.push({ path: keyPath, unknownKey: true, message: `unknown key "${keyPath}" (known: ${names.join(', ')})` });
      } else if (property && property !== true) {
        issues.push(...validate(item, property, root, keyPath));
      }
    }
  }
  return issues;
}

function resolveRef(root: Schema, ref: string): Schema {
  const match = /^#\/definitions\/([^/]+)$/.exec(ref);
  const target = match ? root.definitions?.[match[1]!] : undefined;
  if (!target) throw new Error(`schema: unsupported $ref ${ref}`);
  return target;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: NonNullable<Schema['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
