// What a call's results are, where Go Rubric can know it without a type checker: calls of an
// imported standard-library package's functions (`os.Remove(p)`, `strconv.Atoi(s)`), resolved
// through the file's imports (aliases included) and looked up in the generated signature table;
// and calls of the package's own functions (`save(cfg)`), looked up in the package summary.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import { AMBIGUOUS, parseTypeShape } from '../engine/packageSummary';
import type { PackageLookup } from '../engine/packageView';
import { isStdlibPackage, stdlibFunctionResults, type ResultShape } from '../engine/stdlib';
import { callArguments, calleeOf, linePrefix, topLevelDeclaration } from '../engine/syntax';
import { bindsName, FUNC_ELEMENTS, localVariableType } from './declarations';
import { hasErrorMethod } from './packageTypes';

export interface KnownCall {
  /** "os.Remove", as the code would be read (the package's import path's last element); "save" for the package's own. */
  display: string;
  /** The import path; '' for a function of the file's own package. */
  pkgPath: string;
  name: string;
  results: ResultShape;
  /** The name a local declaration would have to hide for the call to mean something else: the package's name in the call (`os`, or an alias), or the function's own. */
  qualifier: string;
  /**
   * For a method of the package's own types called on a local variable (`c.flush()`), the
   * variable's type (`conn`); undefined for any other call.
   */
  receiverType: string | undefined;
}

/** Anchors for calls of standard-library functions: each imported package's name and a dot (`os.`). */
export function stdlibCallAnchors(file: FileFacts): string[] {
  const anchors: string[] = [];
  for (const spec of file.imports.specs) {
    if (spec.localName !== '_' && spec.localName !== '.' && isStdlibPackage(spec.path)) anchors.push(`${spec.localName}.`);
  }
  return anchors;
}

const FOLLOWING_NAME = /[A-Za-z_]\w*/y;

/**
 * Whether the `pkg.` anchor at `at` is followed by a function of that package that returns an
 * error: read from the text, so that `strings.ToUpper` costs no tree access at all.
 */
export function anchorsErrorFunction(text: string, at: number, anchor: string, file: FileFacts): boolean {
  FOLLOWING_NAME.lastIndex = at + anchor.length;
  const name = FOLLOWING_NAME.exec(text)?.[0];
  const path = name === undefined ? undefined : file.imports.pathOf(anchor.slice(0, -1));
  return path !== undefined && (stdlibFunctionResults(path, name!) ?? '').includes('e');
}

/**
 * Whether the `(` at `at` follows `x.name` where a statement starts (or after `defer`/`go`), and
 * the package declares a method `name`: the shape of a call statement of one of its methods on a
 * variable. ASCII names only.
 */
export function startsMethodStatementCall(text: string, at: number, pkg: PackageLookup): boolean {
  let i = at;
  while (i > 0 && isAsciiWordChar(text.charCodeAt(i - 1))) i--;
  if (i === at || i === 0 || text.charCodeAt(i - 1) !== 46 || !startsStatementCall(text, i - 1)) return false;
  // Only a name the package declares a method of (most calls are another package's or a field's):
  // the tree is not touched for the others.
  return pkg.get(`n:${text.slice(i, at)}`) !== undefined;
}

/**
 * Whether the `(` at `at` follows `name[...]` where a statement starts (or after `defer`/`go`):
 * a call statement of a function taken from a map or slice (`handlers[kind](msg)`).
 */
export function startsElementStatementCall(text: string, at: number): boolean {
  if (text.charCodeAt(at - 1) !== 93) return false;
  let depth = 0;
  for (let i = at - 1; i > 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 93) depth++;
    else if (c === 91 && --depth === 0) return startsStatementCall(text, i);
    else if (c === 10) return false;
  }
  return false;
}

/** A line up to a call's `(` that starts a statement with a plain name (see startsStatementCall). */
const STATEMENT_CALL_PREFIX = /(?:^|[{;:/])[ \t]*(?:(?:defer|go)[ \t]+)?[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * Whether the `(` at `at` follows a plain name where a statement starts (at the start of a line,
 * or after `{`, `;`, a label's `:` or a comment), or after `defer` or `go` there: the shape of a
 * call statement `name(...)`, read from the text before any tree access. Looser than the statement
 * itself (visit() checks that). Called for every `(` of a declaration: ASCII is read by hand,
 * anything else by the regexp.
 */
export function startsStatementCall(text: string, at: number): boolean {
  let i = at;
  for (; i > 0; i--) {
    const c = text.charCodeAt(i - 1);
    if (c >= 128) return STATEMENT_CALL_PREFIX.test(linePrefix(text, at));
    if (!isAsciiWordChar(c)) break;
  }
  const first = text.charCodeAt(i);
  if (i === at || (first >= 48 && first <= 57)) return false;
  const before = skipBlanksBack(text, i);
  if (startsStatement(text, before)) return true;
  // `defer name(` or `go name(`, the keyword where a statement starts (and a blank after it).
  if (before === i) return false;
  for (const keyword of ['defer', 'go']) {
    const k = before - keyword.length;
    if (k < 0 || !text.startsWith(keyword, k) || (k > 0 && isAsciiWordChar(text.charCodeAt(k - 1)))) continue;
    if (startsStatement(text, skipBlanksBack(text, k))) return true;
  }
  return false;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The offset after the last character before `at` that is not a space or a tab. */
function skipBlanksBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return i;
}

/** Whether a statement can start at `at` (after skipping blanks back to it): the text's start, or after \n \r { ; : /. */
function startsStatement(text: string, at: number): boolean {
  if (at === 0) return true;
  const c = text.charCodeAt(at - 1);
  return c === 10 || c === 13 || c === 123 || c === 59 || c === 58 || c === 47;
}

/** Whether an argument is io.Discard (or ioutil.Discard): the call drains a reader on purpose. */
export function drainsToDiscard(call: Node, file: FileFacts): boolean {
  return callArguments(call).some((arg) => {
    if (arg.type !== 'selector_expression') return false;
    const operand = arg.childForFieldName('operand');
    const path = operand?.type === 'identifier' ? file.imports.pathOf(operand.text) : undefined;
    return arg.childForFieldName('field')?.text === 'Discard' && (path === 'io' || path === 'io/ioutil');
  });
}

/**
 * Whether a statement's line ends with a comment that records a decision about it (`// best
 * effort`, `// closed below`). Not one: a test tool's expectation, whether the analysistest
 * convention (`// want ...`) or a marker in capitals (errcheck's `// UNCHECKED`, revive's
 * `// MATCH /.../`, `// ERROR "..."`), which says what a checker should report, not why the error
 * may go; nor a note that the handling is still to come (`// TODO`, `FIXME`, `XXX`).
 */
export function hasTrailingComment(statement: Node): boolean {
  for (let next = statement.nextSibling; next; next = next.nextSibling) {
    if (next.startPosition.row !== statement.endPosition.row) return false;
    if (next.type === 'comment') return explainsDecision(next.text);
  }
  return false;
}

/**
 * A test tool's expectation (`want ...`), a marker (one word in capitals, alone or before the
 * expected message: `UNCHECKED`, `MATCH /.../`), or a to-do note. (A `//nolint` is a decision
 * recorded for golangci-lint's errcheck, and counts as one.)
 */
const NOT_A_DECISION = /^\/\/\s*(?:want\s|[A-Z][A-Z_]{2,}\s*(?:$|[/"`])|(?:TODO|FIXME|XXX)\b)/;
/** A rubric directive: it silences the finding itself (and GR901 reports it when nothing is left to silence). */
const RUBRIC_DIRECTIVE = /^\/\/rubric:/;

function explainsDecision(comment: string): boolean {
  return !NOT_A_DECISION.test(comment) && !RUBRIC_DIRECTIVE.test(comment);
}

/**
 * The standard-library function a call calls, with its results, as far as the imports say. The
 * caller confirms with `hiddenByLocalName` before reporting: that check walks the function, so it
 * runs only for calls that would be reported.
 */
export function knownStdlibCall(call: Node, file: FileFacts): KnownCall | undefined {
  const callee = calleeOf(call);
  if (!callee?.operand || callee.operand.type !== 'identifier') return undefined;
  const qualifier = callee.operand.text;
  const pkgPath = file.imports.pathOf(qualifier);
  if (pkgPath === undefined) return undefined;
  const results = stdlibFunctionResults(pkgPath, callee.name);
  if (results === undefined) return undefined;
  return { display: `${qualifier}.${callee.name}`, pkgPath, name: callee.name, results, qualifier, receiverType: undefined };
}

/**
 * The package's own function a call calls (`save(cfg)`: a plain name, no type arguments), with its
 * results, from the package summary: declared in this file or, with the workspace index, in
 * another file of the package. The lookup is recorded (RuleContext.pkg), so the caller's findings
 * are checked again when that function's results change. Two files that disagree (build
 * constraints) give no answer. The caller confirms with `hiddenByLocalName`.
 */
export function knownPackageCall(call: Node, pkg: PackageLookup): KnownCall | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const name = callee.text;
  const shape = pkg.get(`f:${name}`);
  if (shape === undefined || shape === AMBIGUOUS) return undefined;
  return { display: name, pkgPath: '', name, results: withOwnErrorTypes(name, shape, pkg), qualifier: name, receiverType: undefined };
}

/** What GR103's and GR104's docs say of method calls and calls of function values (markdown, for their Approximations). */
export const METHOD_CALLS_APPROXIMATION = `Method calls are checked when the receiver is a variable whose one declaration in the function shows its
type, one of the package's own (a type's methods, or an interface's): the method's receiver or a parameter (\`s *Server\`), \`x := T{...}\`, \`&T{...}\`,
\`new(T)\`, or \`var x T\`; the method's results come from the package summary, the type's own or promoted from the
package types it embeds (up to three levels; two embedded types promoting different methods leave it unknown). So
do calls of a function taken from a local map, slice or array of functions whose declaration shows their type
(\`handlers := map[string]func() error{...}; handlers[kind]()\`). Not known without types: a variable bound by a
call (\`f, err := os.Open(p)\`, so \`f.Close()\`), by a range or a type switch, or declared twice in the function;
a field's type (\`s.conn.Close()\`); another package's types; package-level variables.`;

/** The last declaration enclosingTopLevel climbed to: the calls of one declaration come one after another. */
let lastTopLevel: { tree: unknown; node: Node } | undefined;

/** topLevelDeclaration, without climbing again for each call of the same declaration. */
function enclosingTopLevel(node: Node): Node {
  const last = lastTopLevel;
  if (last && last.tree === node.tree && node.startIndex >= last.node.startIndex && node.endIndex <= last.node.endIndex) return last.node;
  const top = topLevelDeclaration(node);
  lastTopLevel = { tree: node.tree, node: top };
  return top;
}

/**
 * The package's own method a call `x.m()` calls, when `x` is a variable of the enclosing
 * declaration whose type the syntax shows (see localVariableType: the receiver, a parameter,
 * `x := T{}`, `var x T`), with its results from the package summary (`m:T.m`). Promoted methods
 * (of an embedded type) and another package's types are not known. Its qualifier is empty: the
 * variable is bound locally by definition, so hiddenByLocalName does not apply.
 */
export function knownMethodCall(call: Node, pkg: PackageLookup): KnownCall | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'selector_expression') return undefined;
  const operand = callee.childForFieldName('operand');
  const method = callee.childForFieldName('field')?.text;
  if (operand?.type !== 'identifier' || method === undefined) return undefined;
  // No method of that name in the package (most calls: a field's, another package's): no need to
  // find the variable's declaration.
  if (pkg.get(`n:${method}`) === undefined) return undefined;
  const type = localVariableType(enclosingTopLevel(call), operand.text);
  if (type === undefined) return undefined;
  const shape = methodResults(pkg, type, method, 0);
  if (shape === undefined) return undefined;
  return { display: `${operand.text}.${method}`, pkgPath: '', name: method, results: shape, qualifier: '', receiverType: type };
}

/**
 * A call of a function taken from a local map, slice or array of functions whose declaration
 * shows their type (`m := map[string]func() error{...}; m["a"]()`), with their results.
 */
export function knownElementCall(call: Node): KnownCall | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'index_expression') return undefined;
  const operand = callee.childForFieldName('operand');
  if (operand?.type !== 'identifier') return undefined;
  const type = localVariableType(enclosingTopLevel(call), operand.text);
  if (!type?.startsWith(FUNC_ELEMENTS)) return undefined;
  return { display: `${operand.text}[...]`, pkgPath: '', name: operand.text, results: type.slice(FUNC_ELEMENTS.length), qualifier: '', receiverType: undefined };
}

/** How deep methods are looked for through embedded types: Go code seldom nests embeddings further. */
const PROMOTION_DEPTH = 3;

/**
 * The results of a package type's method, its own (`m:T.m`) or promoted from the package types
 * it embeds (a struct's embedded fields, an interface's embedded interfaces), as far as the
 * summary tells: undefined when unknown, or when two embedded types promote different ones.
 */
function methodResults(pkg: PackageLookup, type: string, method: string, depth: number): string | undefined {
  const own = pkg.get(`m:${type}.${method}`);
  if (own !== undefined) return own === AMBIGUOUS ? undefined : own;
  if (depth === PROMOTION_DEPTH) return undefined;
  const shape = parseTypeShape(pkg.get(`t:${type}`));
  if (!shape || shape.kind === 'other') return undefined;
  let found: string | undefined;
  for (const embed of shape.embeds) {
    // Another package's types (`io.Reader`, `?q.T`) are not in the summary. (Embedded names are
    // summarised without their `*`.)
    if (embed.includes('.')) continue;
    const promoted = methodResults(pkg, embed, method, depth + 1);
    if (promoted === undefined) continue;
    if (found !== undefined && found !== promoted) return undefined;
    found = promoted;
  }
  return found;
}

/**
 * The shape with the results whose type is one of the package's error types (`*SyntaxError`, a
 * type with an `Error() string` method) counted as errors, as errcheck counts any result that
 * implements error. Without types the receiver's pointer-ness is not checked: a `T` result with
 * a `func (*T) Error()` method counts too.
 */
function withOwnErrorTypes(name: string, shape: string, pkg: PackageLookup): string {
  if (!shape.includes('.')) return shape;
  const types = pkg.get(`x:${name}`);
  if (types === undefined || types === AMBIGUOUS) return shape;
  const written = types.split(',');
  if (written.length !== shape.length) return shape;
  return Array.from(shape, (kind, i) => {
    const type = written[i]!.replace(/^\*/, '');
    return kind === '.' && type !== '' && hasErrorMethod(pkg, type) ? 'e' : kind;
  }).join('');
}

/** Whether a local name (`os := ...`, a parameter `os`, or a local `save` for a package function) hides what the call names: it is then another call. */
export function hiddenByLocalName(call: Node, known: KnownCall): boolean {
  return known.qualifier !== '' && bindsName(topLevelDeclaration(call), known.qualifier);
}
