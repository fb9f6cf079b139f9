// Converts engine findings (offsets) into LSP diagnostics and edits (UTF-16 positions).
import {
  DiagnosticSeverity,
  type Diagnostic,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { FindingRecord, RelatedRecord } from '../cli/checkFile';
import type { Finding, RuleInfo, Severity, TextEdit } from '../engine/types';
import type { LineIndex } from '../text/positions';
import { ruleDocUrl } from '../rules/docs';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'go-rubric';

export function toRange(index: LineIndex, start: number, end: number): Range {
  return { start: index.positionAt(start), end: index.positionAt(end) };
}

/** A finding of an open document (offsets into its text). */
export function toDiagnostic(finding: Finding, rule: RuleInfo | undefined, index: LineIndex, uri: string): Diagnostic {
  const related = finding.related?.map((r) => ({ range: toRange(index, r.start, r.end), message: r.message }));
  return diagnostic(finding, toRange(index, finding.start, finding.end), related, rule, uri);
}

/**
 * A finding of a file checked from disk by the workspace check: its FindingRecord already holds
 * the LSP range, and `related` the related places (FileReport.related).
 */
export function recordToDiagnostic(record: FindingRecord, related: readonly RelatedRecord[] | null | undefined, rule: RuleInfo | undefined, uri: string): Diagnostic {
  return diagnostic(record, record.range, related ?? undefined, rule, uri);
}

/** Both kinds of finding become the same Diagnostic, so a file looks the same open or not. */
function diagnostic(
  finding: { code: string; severity: Severity; message: string },
  range: Range,
  related: readonly RelatedRecord[] | undefined,
  rule: RuleInfo | undefined,
  uri: string,
): Diagnostic {
  const result: Diagnostic = { range, severity: SEVERITY[finding.severity], code: finding.code, source: SOURCE, message: finding.message };
  if (rule) result.codeDescription = { href: ruleDocUrl(rule) };
  if (related) result.relatedInformation = related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return result;
}

export function toLspEdit(edit: TextEdit, index: LineIndex): LspTextEdit {
  return { range: toRange(index, edit.start, edit.end), newText: edit.newText };
}
