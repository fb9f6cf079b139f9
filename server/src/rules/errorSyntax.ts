// Shared questions for the rules that inspect errors by identity or type (GR105 error-compare,
// GR106 error-type-assert): where a comparison sits, which call produced an error variable, and
// under which name a fix may call the standard errors package.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import type { ImportTable } from '../engine/imports';
import type { PackageLookup } from '../engine/packageView';
import { calleeOf, FUNCTION_TYPES } from '../engine/syntax';

/**
 * Where a local declaration could hide a package name used at `node`: the outermost function
 * around it, else its top-level declaration. The function rather than the top-level node, because
 * in a file with syntax errors the top-level node can be an ERROR node whose extent depends on how
 * the text around it was parsed, while a function parses the same wherever it stands.
 */
export function shadowingScope(node: Node): Node {
  let scope: Node | undefined;
  let current = node;
  // Up to the root, which is not always a source_file: a badly broken file parses into an ERROR root.
  for (let n = node.parent; n; ) {
    const up = n.parent;
    if (FUNCTION_TYPES.has(n.type)) scope = n;
    if (up) current = n;
    n = up;
  }
  return scope ?? current;
}

/**
 * Whether `node` is inside a method with one of these names, such as `Is` or `As`: the methods of
 * the errors.Is/errors.As protocol look at one layer of an error on purpose (errors.Is unwraps
 * and calls them at each layer), so == and type assertions are how they are written.
 */
export function insideMethodNamed(node: Node, names: ReadonlySet<string>): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'method_declaration' && names.has(n.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
}

/**
 * Standard-library packages that the errors package itself imports (`go list -deps errors`,
 * Go 1.19): code in them cannot import errors, so no fix may call errors.Is/As there.
 */
const ERRORS_DEPENDENCY_DIR =
  /(^|[/\\])src[/\\](runtime|unsafe|internal[/\\](reflectlite|abi|goarch|unsafeheader|bytealg|cpu|goexperiment|goos))([/\\][^/\\]+)*[/\\][^/\\]+\.go$/;

/** Whether the declaration declares or uses `name` as something other than a package qualifier. */
function usesNameOtherwise(decl: Node, name: string): boolean {
  if (!new RegExp(`\\b${name}\\b`).test(decl.text)) return false;
  return decl.descendantsOfType('identifier').some((id) => {
    if (!id || id.text !== name) return false;
    const parent = id.parent;
    return !(parent?.type === 'selector_expression' && parent.childForFieldName('operand')?.id === id.id);
  });
}

/**
 * The qualifier under which a fix in `scope` can call the standard errors package, and whether the
 * import must be added; undefined when no fix can name it: the name `errors` belongs to another
 * import (github.com/pkg/errors), to a local variable or to a package-level declaration of any of
 * the package's files, the file is dot-importing errors, or the file is in errors itself or one of
 * its dependencies (an import cycle).
 */
export function errorsQualifier(file: FileFacts, scope: Node, pkg: PackageLookup): { name: string; addImport: boolean } | undefined {
  if (file.packageName === 'errors' || (file.path !== undefined && ERRORS_DEPENDENCY_DIR.test(file.path))) return undefined;
  const local = file.imports.localNameOf('errors');
  if (local !== undefined) return usesNameOtherwise(scope, local) ? undefined : { name: local, addImport: false };
  if (file.imports.pathOf('errors') !== undefined || file.imports.isDotImported('errors')) return undefined;
  // A package-level `errors` of any file of the package (its tests included) would collide with the import.
  return usesNameOtherwise(scope, 'errors') || pkg.get('d:errors') !== undefined ? undefined : { name: 'errors', addImport: true };
}

/** Whether an identifier is among the names a short declaration, assignment or var spec assigns. */
function assigns(statement: Node, name: string): boolean {
  if (statement.type === 'var_spec') return statement.childrenForFieldName('name').some((n) => n?.text === name);
  const left = statement.childForFieldName('left');
  return left?.namedChildren.some((c) => c?.type === 'identifier' && c.text === name) ?? false;
}

const ASSIGNMENTS = ['short_var_declaration', 'assignment_statement', 'var_spec'];

/**
 * The call whose result was last assigned to `id` before it is used, within the enclosing
 * function: `n, err := r.Read(buf)` for a later `err == io.EOF`. Textual order stands in for
 * control flow, which is right for the straight-line code these checks follow.
 */
export function producingCall(id: Node): Node | undefined {
  if (id.type !== 'identifier') return undefined;
  let fn: Node | null = id.parent;
  while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
  const body = fn?.childForFieldName('body');
  if (!body) return undefined;
  let last: Node | undefined;
  for (const statement of body.descendantsOfType(ASSIGNMENTS)) {
    if (!statement || statement.startIndex >= id.startIndex || !assigns(statement, id.text)) continue;
    if (!last || statement.startIndex > last.startIndex) last = statement;
  }
  const right = last?.childForFieldName(last.type === 'var_spec' ? 'value' : 'right');
  const values = right?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  return values.length === 1 && values[0]!.type === 'call_expression' ? values[0] : undefined;
}

/** The name of the call that produced `id`, when it is a plain or method call. */
export function producingCallName(id: Node): { name: string; qualifier: string | undefined } | undefined {
  const call = producingCall(id);
  const callee = call ? calleeOf(call) : undefined;
  if (!callee) return undefined;
  return { name: callee.name, qualifier: callee.operand?.type === 'identifier' ? callee.operand.text : undefined };
}

/** Packages whose errors are raw errno values (syscall.EINTR, unix.EAGAIN, syscall.Errno). */
export const ERRNO_PACKAGES = new Set(['syscall', 'golang.org/x/sys/unix', 'golang.org/x/sys/windows', 'internal/syscall/unix', 'internal/syscall/windows']);

/**
 * Whether an errno check on `error` may rely on seeing the raw errno: unless the error is traced to
 * a call into another, non-syscall package (os.Open wraps its errno in *PathError), errno checks
 * sit in syscall-level code that handles what its own system calls returned.
 */
export function errnoMayBeRaw(error: Node, imports: ImportTable): boolean {
  const call = error.type === 'identifier' ? producingCallName(error) : undefined;
  const pkg = call?.qualifier !== undefined ? imports.pathOf(call.qualifier) : undefined;
  return pkg === undefined || ERRNO_PACKAGES.has(pkg);
}
