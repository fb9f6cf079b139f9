// Open go.mod files: the server checks them with the go.mod rules (GR002-GR004) and publishes the
// findings on their lines, with quick fixes and hovers like a Go file's. go.mod is small, so each
// change is applied to the text and the whole file checked again.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Connection, type Diagnostic, type Hover, type HoverParams } from 'vscode-languageserver';
import type { RuleConfig } from '../engine/config';
import type { Finding } from '../engine/types';
import type { ContentChange } from '../documents/goDocument';
import { findingsHover } from '../hover/ruleHover';
import { moduleRules } from '../rules';
import { checkGoModText } from '../setup/checkGoMod';
import { directivesOf, parseGoMod } from '../setup/goModFile';
import { kindRequested, quickFixes } from './codeActions';
import { LineIndex } from '../text/positions';
import { toDiagnostic, toLspEdit } from './convert';
import { pathOption } from './paths';

interface GoModDocument {
  uri: string;
  version: number;
  index: LineIndex;
  findings: Finding[];
}

/** Whether a document is a go.mod file (by its name: editors give it several language ids). */
export function isGoModUri(uri: string): boolean {
  return /(?:^|\/)go\.mod$/.test(uri);
}

export class GoModDocuments {
  private readonly docs = new Map<string, GoModDocument>();

  constructor(
    private readonly connection: Connection,
    /** The rule configuration for a document, undefined when Go Rubric is disabled there. */
    private readonly configFor: (uri: string) => Promise<RuleConfig | undefined>,
  ) {}

  open(uri: string, version: number, text: string): void {
    this.docs.set(uri, { uri, version, index: new LineIndex(text), findings: [] });
    void this.check(uri);
  }

  change(uri: string, version: number, changes: readonly ContentChange[]): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    for (const change of changes) {
      if (!change.range) {
        doc.index = new LineIndex(change.text);
        continue;
      }
      const start = doc.index.offsetAt(change.range.start);
      const end = Math.max(start, doc.index.offsetAt(change.range.end));
      doc.index = doc.index.withEdit(start, end, change.text);
    }
    doc.version = version;
    void this.check(uri);
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Checks every open go.mod again: the settings changed, or a go.sum appeared or went. */
  recheckAll(): void {
    for (const uri of this.docs.keys()) void this.check(uri);
  }

  private async check(uri: string): Promise<void> {
    try {
      const config = await this.configFor(uri);
      const doc = this.docs.get(uri);
      if (!doc) return;
      const version = doc.version;
      const text = doc.index.text;
      const path = pathOption(uri).path;
      const hasGoSum = path === undefined ? undefined : existsSync(join(dirname(path), 'go.sum'));
      const findings = config ? checkGoModText(text, hasGoSum, config, moduleRules, (m) => this.connection.console.error(m)) : [];
      // A newer version may have arrived while the settings were read: its own check publishes.
      if (this.docs.get(uri) !== doc || doc.version !== version) return;
      doc.findings = findings;
      const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(f, this.rule(f.code), doc.index, uri));
      await this.connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (error) {
      this.connection.console.error(`checking ${uri} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** The rule's fix and the ignore actions of each finding in the range; go.mod's findings have no "Fix all". */
  codeActions(params: CodeActionParams): CodeAction[] {
    const doc = this.docs.get(params.textDocument.uri);
    if (!doc || !kindRequested(params.context.only, CodeActionKind.QuickFix)) return [];
    const module = directivesOf(parseGoMod(doc.index.text), 'module')[0];
    return quickFixes(
      {
        uri: doc.uri,
        index: doc.index,
        findings: doc.findings,
        rule: (code) => this.rule(code),
        diagnosticFor: (finding) => toDiagnostic(finding, this.rule(finding.code), doc.index, doc.uri),
        edit: (edits) => ({ changes: { [doc.uri]: edits.map((e) => toLspEdit(e, doc.index)) } }),
        fixEdits: (finding) => finding.fix?.edits,
        insideToken: () => false,
        fileDirectiveAfter: module?.end,
      },
      doc.index.offsetAt(params.range.start),
      doc.index.offsetAt(params.range.end),
    );
  }

  hover(params: HoverParams): Hover | null {
    const doc = this.docs.get(params.textDocument.uri);
    return doc ? findingsHover(doc.findings, doc.index.offsetAt(params.position), doc.index, (code) => this.rule(code)) : null;
  }

  private rule(code: string) {
    return moduleRules.find((r) => r.meta.code === code);
  }
}
