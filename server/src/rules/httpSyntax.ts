// Shapes of net/http serving code, shared by the production rules: the package functions that
// serve (GR401, GR402, GR407), `http.Server{...}` literals, and gosec's own suppression comments,
// which these rules honour because they report what gosec's G108, G112 and G114 report.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import { stringLiteralValue, type ImportTable } from '../engine/imports';
import { callArguments, calleeOf, isStringLiteral } from '../engine/syntax';

/** The net/http functions that serve with a zero Server, and where each takes its handler. */
const SERVE_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['ListenAndServe', 1],
  ['ListenAndServeTLS', 3],
  ['Serve', 1],
  ['ServeTLS', 1],
]);

/** Text after `http.` that starts one of the serving functions or a Server literal (for anchors). */
export const SERVING_TEXT = /^(?:ListenAndServe(?:TLS)?|ServeTLS|Serve)\s*\(|^Server\s*\{/;

/** The names under which the file refers to net/http (aliases included). */
export function httpNames(file: FileFacts): string[] {
  return file.imports.localNamesOf('net/http');
}

export interface ServeCall {
  /** ListenAndServe, ListenAndServeTLS, Serve or ServeTLS. */
  name: string;
  /** The address or listener argument. */
  address: Node | undefined;
  /** The handler argument (`nil` serves http.DefaultServeMux). */
  handler: Node | undefined;
}

/** A call of one of net/http's package serving functions (`http.ListenAndServe(addr, h)`), resolved through the imports. */
export function serveCall(call: Node, imports: ImportTable): ServeCall | undefined {
  const callee = calleeOf(call);
  const at = callee && SERVE_FUNCTIONS.get(callee.name);
  if (at === undefined || callee?.operand?.type !== 'identifier' || imports.pathOf(callee.operand.text) !== 'net/http') return undefined;
  const args = callArguments(call);
  return { name: callee.name, address: args[0], handler: args[at] };
}

/** Whether a composite literal builds a net/http Server (`http.Server{...}`, under any alias). */
export function isServerLiteral(literal: Node, imports: ImportTable): boolean {
  const type = literal.childForFieldName('type');
  if (type?.type !== 'qualified_type' || type.childForFieldName('name')?.text !== 'Server') return false;
  const pkg = type.childForFieldName('package')?.text;
  return pkg !== undefined && imports.pathOf(pkg) === 'net/http';
}

/** The field names a keyed composite literal sets (`Addr`, `Handler`, ...). */
export function literalKeys(literal: Node): Map<string, Node | undefined> {
  const keys = new Map<string, Node | undefined>();
  for (const element of literal.childForFieldName('body')?.namedChildren ?? []) {
    if (element?.type !== 'keyed_element') continue;
    const key = element.childForFieldName('key') ?? element.namedChildren[0];
    const value = element.childForFieldName('value') ?? element.namedChildren[1];
    if (key) keys.set(key.text, value?.namedChildren[0] ?? value ?? undefined);
  }
  return keys;
}

/**
 * Whether gosec's own version of the check was silenced where the finding starts: a `#nosec`
 * comment naming one of `codes` (a bare `#nosec` silences all) or a golangci-lint `//nolint:gosec`,
 * at the end of the line at `offset` or alone on the line above (as gosec and golangci-lint read
 * them). Its author already judged that line for the same problem.
 */
export function gosecSilenced(text: string, offset: number, codes: readonly string[]): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const above = lineStart > 0 ? text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1) : '';
  return silences(line, codes) || (/^\s*\/\//.test(above) && silences(above, codes));
}

function silences(line: string, codes: readonly string[]): boolean {
  if (/\/\/\s*nolint:[\w,-]*\bgosec\b/.test(line)) return true;
  const m = /\/\/.*#nosec\b([^\n]*)/.exec(line);
  if (!m) return false;
  const listed = m[1]!.match(/\bG\d{3}\b/g);
  return listed === null || listed.some((code) => codes.includes(code));
}

/**
 * Whether a Server literal is the `Config` of an httptest.Server literal (`&httptest.Server{Config:
 * &http.Server{...}}`, or `&Server{...}` in package httptest itself): a test's server.
 */
export function isHttptestConfig(literal: Node, file: FileFacts): boolean {
  let element = literal.parent;
  if (element?.type === 'unary_expression') element = element.parent;
  if (element?.type === 'literal_element') element = element.parent;
  if (element?.type !== 'keyed_element' || element.namedChildren[0]?.text !== 'Config') return false;
  const outer = element.parent?.parent;
  const type = outer?.type === 'composite_literal' ? outer.childForFieldName('type') : undefined;
  if (type?.type === 'qualified_type') {
    const pkg = type.childForFieldName('package')?.text;
    return type.childForFieldName('name')?.text === 'Server' && pkg !== undefined && file.imports.pathOf(pkg) === 'net/http/httptest';
  }
  return type?.text === 'Server' && file.packageName === 'httptest';
}

/** A loopback host in a listening address: reachable from the same machine only. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(?::|$)/;

/**
 * Whether an address argument is a string literal naming a loopback host ("localhost:6060",
 * "127.0.0.1:0", "[::1]:80"). ":8080", "0.0.0.0:80", a host name and any non-literal address (a
 * flag, a config field) may be reached from other machines.
 */
export function isLoopbackAddress(address: Node | undefined): boolean {
  if (!address || !isStringLiteral(address)) return false;
  const value = stringLiteralValue(address);
  return value !== undefined && LOOPBACK.test(value);
}
