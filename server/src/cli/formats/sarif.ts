// The SARIF 2.1.0 format (OASIS), for GitHub code scanning and other SARIF viewers: one log on
// stdout at the end, with one run whose tool.driver describes every rule that has a result (its
// summary, what it flags, its documentation as help text and markdown, and a link to its page)
// and whose results carry the rule, the level and the region.
//
// Paths are relative to %SRCROOT%, the repository around the working folder (sourceRoot.ts), which
// is where GitHub's upload-sarif resolves them; no absolute path is written, so the log is the
// same on every machine. Columns are UTF-16 code units (run.columnKind), as SARIF counts by
// default and as the LSP ranges count; the text format's columns are bytes instead.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleInfo, Severity } from '../../engine/types';
import { catalog } from '../../rules';
import { docSection, REPOSITORY_URL, ruleDocPage, ruleDocUrl } from '../../rules/docs';
import type { FindingRecord } from '../checkFile';
import type { FormatContext, Formatter, RunEnd } from './formatter';
import { pathUnderRoot, sourceRoot } from './sourceRoot';

declare const GO_RUBRIC_VERSION: string;

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SOURCE_ROOT_ID = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

/** SARIF has three levels; information and hint are both notes. */
export const SARIF_LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export function sarifFormatter(context: FormatContext): Formatter {
  const findings: FindingRecord[] = [];
  return {
    finding: (f) => findings.push(f),
    end: (run) => context.out(JSON.stringify(sarifLog(findings, run, context.cwd), null, 2)),
  };
}

export function sarifLog(findings: readonly FindingRecord[], run: RunEnd, cwd: string): object {
  const root = sourceRoot(cwd);
  const artifact = (path: string): ArtifactLocation => {
    const under = pathUnderRoot(path, cwd, root);
    if (under === undefined) return { uri: pathToFileURL(resolve(cwd, path)).href };
    return { uri: under.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT_ID };
  };
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'go-rubric',
            version: GO_RUBRIC_VERSION,
            semanticVersion: GO_RUBRIC_VERSION,
            informationUri: REPOSITORY_URL,
            rules: codes.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: {
          [SOURCE_ROOT_ID]: { description: { text: 'The root of the repository (the folder holding .git, .hg or .svn) around the folder go-rubric ran in, or that folder outside a repository.' } },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            // Files that could not be checked do not make the run fail; they are reported here.
            executionSuccessful: true,
            toolExecutionNotifications: run.problems.map((p) => ({
              level: 'warning',
              message: { text: p.message },
              locations: [{ physicalLocation: { artifactLocation: artifact(p.path) } }],
            })),
          },
        ],
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code)!,
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(f.path),
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

function ruleDescriptor(code: string): object {
  const rule: RuleInfo | undefined = catalog.find((r) => r.meta.code === code);
  if (!rule) return { id: code };
  const { meta } = rule;
  const why = docSection(rule, 'Why');
  const url = ruleDocUrl(rule);
  return {
    id: meta.code,
    name: meta.name,
    shortDescription: { text: meta.summary },
    fullDescription: { text: docSection(rule, 'What it flags') ?? meta.summary },
    help: {
      text: [meta.summary, ...(why ? [why] : []), `Documentation: ${url}`].join('\n\n'),
      markdown: ruleDocPage(rule),
    },
    helpUri: url,
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: { tags: [meta.phase] },
  };
}
