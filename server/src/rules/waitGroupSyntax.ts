// sync.WaitGroup and errgroup as the syntax shows them, for GR205, GR206, GR207 and GR214: goroutine
// bodies (`go func() {...}()`) and the receivers that behave as a WaitGroup or an errgroup.Group in the
// declaration at hand.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { calleeOf, compactText, statementCall, topLevelDeclaration } from '../engine/syntax';
import { qualifiedRole } from './contextSyntax';

/** Whether a function literal is the function a `go` statement calls: a goroutine's body. */
export function isGoroutineLiteral(fn: Node): boolean {
  const call = fn.parent;
  return fn.type === 'func_literal' && call?.type === 'call_expression' && call.childForFieldName('function')?.id === fn.id && call.parent?.type === 'go_statement';
}

/** `key.method(...)` as a statement: the receiver's compact text, when the statement is that call. */
export function methodStatement(statement: Node, method: string): string | undefined {
  const call = statementCall(statement);
  const callee = call ? calleeOf(call) : undefined;
  return callee?.operand && callee.name === method ? compactText(callee.operand) : undefined;
}

/** Whether a type node is `*sync.WaitGroup`, through the imports. */
export function isWaitGroupPointer(type: Node | null, imports: ImportTable): boolean {
  if (type?.type !== 'pointer_type') return false;
  return qualifiedRole(type.namedChildren[0] ?? null, imports) === 'waitgroup';
}

/** Whether `text` (compacted: no whitespace) calls `key.<method>(`. */
export function callsOn(compacted: string, key: string, method: string): boolean {
  return compacted.includes(`${key}.${method}(`);
}

/** Whether `name` is an errgroup.Group, as the declaration shows where it binds it (`g, ctx := errgroup.WithContext(ctx)`, `var g errgroup.Group`). */
export function isErrgroup(node: Node, name: string, imports: ImportTable): boolean {
  const pkg = imports.specs.filter((s) => s.path.endsWith('/errgroup')).flatMap((s) => imports.localNamesOf(s.path))[0];
  if (!pkg) return false;
  return new RegExp(`(?:^|[^\\w.])${name}\\b[^\\n]*\\b${pkg}\\.`, 'm').test(topLevelDeclaration(node).text);
}
