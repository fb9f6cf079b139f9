// Converts engine findings (offsets) into LSP diagnostics and edits (UTF-16 positions).
import {
  DiagnosticSeverity,
  type Diagnostic,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { Finding, Rule, Severity, TextEdit } from '../engine/types';
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

export function toDiagnostic(finding: Finding, rule: Rule | undefined, index: LineIndex, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(index, finding.start, finding.end),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: SOURCE,
    message: finding.message,
  };
  if (rule) diagnostic.codeDescription = { href: ruleDocUrl(rule) };
  if (finding.related) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri, range: toRange(index, r.start, r.end) },
      message: r.message,
    }));
  }
  return diagnostic;
}

export function toLspEdit(edit: TextEdit, index: LineIndex): LspTextEdit {
  return { range: toRange(index, edit.start, edit.end), newText: edit.newText };
}
