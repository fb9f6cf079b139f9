// The JSON format: one document on stdout at the end, schema version 1 (README, "Command line").
// Its shape is a contract with scripts: add fields only, and bump `version` for anything else.
import type { FindingRecord } from '../checkFile';
import type { FormatContext, Formatter } from './formatter';

export const JSON_SCHEMA_VERSION = 1;

export function jsonFormatter(context: FormatContext): Formatter {
  const findings: FindingRecord[] = [];
  return {
    finding: (f) => findings.push(f),
    end(run) {
      context.out(JSON.stringify({ version: JSON_SCHEMA_VERSION, files: run.files, findings, problems: run.problems }, null, 2));
    },
  };
}
