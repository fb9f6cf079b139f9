// The code actions every finding offers, for Go files and go.mod alike: the rule's own fix, "Fix
// all GRxxx problems in this file" (its safe fixes, applied by fixes/fixAll.ts), and "Ignore
// GRxxx on this line" / "in this file", which write a directive (fixes/ignoreDirective.ts). Also
// the kind of the file-wide source action, `source.fixAll.goRubric`, that editor.codeActionsOnSave
// runs.
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, RuleInfo, TextEdit } from '../engine/types';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../fixes/ignoreDirective';
import type { LineIndex } from '../text/positions';

/** Every safe fix of the file, as `source.fixAll.goRubric` (users enable it with editor.codeActionsOnSave). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.goRubric`;

/** Whether a kind the client asked for (`only`) includes `kind`: the same, or a parent (`source.fixAll` of `source.fixAll.goRubric`). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** What a "Fix all GRxxx problems in this file" action carries until the client resolves its edit. */
export interface FixAllData {
  uri: string;
  version: number;
  code: string;
}

export interface ActionContext {
  uri: string;
  index: LineIndex;
  findings: readonly Finding[];
  rule(code: string): RuleInfo | undefined;
  diagnosticFor(finding: Finding): Diagnostic;
  /** A workspace edit of the document from edits of its text. */
  edit(edits: TextEdit[]): WorkspaceEdit;
  /** Edits of a finding's own fix (imports added); undefined when it has none. */
  fixEdits(finding: Finding): TextEdit[] | undefined;
  /** Whether an offset is inside a multi-line token (a raw string, a block comment). */
  insideToken(offset: number): boolean;
  /** The end of the package clause (Go) or the module directive (go.mod): where a file directive goes. */
  fileDirectiveAfter: number | undefined;
  /** For "Fix all GRxxx problems": the document version and whether the action's edit is resolved later (codeAction/resolve). */
  fixAll?: { version: number; resolveLater: boolean; edits(code: string): TextEdit[] };
}

/** The quick fixes for the findings that overlap [start, end]. */
export function quickFixes(ctx: ActionContext, start: number, end: number): CodeAction[] {
  const actions: CodeAction[] = [];
  const offered = new Set<string>();
  const once = (key: string) => !offered.has(key) && (offered.add(key), true);
  for (const finding of ctx.findings) {
    if (finding.end < start || finding.start > end) continue;
    const diagnostic = ctx.diagnosticFor(finding);
    const { code } = finding;
    const name = ctx.rule(code)?.meta.name;
    const label = name ? `${code} (${name})` : code;
    const own = finding.fix ? ctx.fixEdits(finding) : undefined;
    if (finding.fix && own) {
      actions.push({ title: finding.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: finding.fix.safe, edit: ctx.edit(own) });
    }
    if (ctx.fixAll && once(`all:${code}`) && ctx.findings.filter((f) => f.code === code && f.fix?.safe).length >= 2) {
      const action: CodeAction = { title: `Fix all ${label} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
      if (ctx.fixAll.resolveLater) action.data = { uri: ctx.uri, version: ctx.fixAll.version, code } satisfies FixAllData;
      else action.edit = ctx.edit(ctx.fixAll.edits(code));
      actions.push(action);
    }
    const line = ctx.index.positionAt(finding.start).line;
    if (once(`line:${code}:${line}`)) {
      const edit = ignoreOnLineEdit(ctx.index, finding.start, code, ctx.insideToken);
      if (edit) actions.push({ title: `Ignore ${label} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: ctx.edit([edit]) });
    }
    if (ctx.fileDirectiveAfter !== undefined && once(`file:${code}`)) {
      const edit = ignoreInFileEdit(ctx.index, ctx.fileDirectiveAfter, code);
      if (edit) actions.push({ title: `Ignore ${label} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: ctx.edit([edit]) });
    }
  }
  return actions;
}

/** The one edit that turns `before` into `after`: the span between their common prefix and suffix. */
export function replacementEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair or a CRLF.
  if (start > 0 && (isHighSurrogate(before.charCodeAt(start - 1)) || before.charCodeAt(start - 1) === 13)) start--;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && (isLowSurrogate(before.charCodeAt(before.length - suffix)) || before.charCodeAt(before.length - suffix) === 10)) suffix--;
  return { start, end: before.length - suffix, newText: after.slice(start, after.length - suffix) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
