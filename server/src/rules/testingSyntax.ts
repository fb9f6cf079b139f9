// The testing package as the syntax shows it: which declarations are Test and Benchmark functions
// and the name they give their *testing.T or *testing.B, and how a benchmark's timed loop looks.
// Shared by the testing rules (GR301-GR307).
import type { Node } from 'web-tree-sitter';
import { blockStatements, walkDescendants } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import { isTestingType, parametersOf } from './contextSyntax';
import { bindingFor } from './declarations';

/**
 * `func PrefixXxx(x *testing.Kind)`: the parameter's name when the declaration is a framework
 * function of that prefix (Test, Benchmark) taking only a pointer to that testing type.
 */
function frameworkParameter(fn: Node, imports: ImportTable, prefix: string, kind: string): string | undefined {
  if (fn.type !== 'function_declaration') return undefined;
  const name = fn.childForFieldName('name')?.text ?? '';
  if (!name.startsWith(prefix) || /^[a-z]/.test(name.slice(prefix.length))) return undefined;
  const params = parametersOf(fn);
  const param = params[0];
  if (params.length !== 1 || !param?.name || param.type?.type !== 'pointer_type' || !isTestingType(param.type, imports)) return undefined;
  return new RegExp(`\\b${kind}$`).test(param.type.text) ? param.name.text : undefined;
}

/** `func BenchmarkXxx(b *testing.B)`: the benchmark's parameter name, if the declaration is one. */
export function benchmarkParameter(fn: Node, imports: ImportTable): string | undefined {
  return frameworkParameter(fn, imports, 'Benchmark', 'B');
}

/** `func TestXxx(t *testing.T)`: the test's parameter name, if the declaration is one. */
export function testParameter(fn: Node, imports: ImportTable): string | undefined {
  return frameworkParameter(fn, imports, 'Test', 'T');
}

/** A function body's text without its comments: what the text checks of the testing rules read. */
export function codeText(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

/** The calls on a test's T that report a failure. */
export const FAILING_METHODS: readonly string[] = ['Error', 'Errorf', 'Fatal', 'Fatalf', 'Fail', 'FailNow'];

/**
 * Whether `body` calls one of `methods` on the identifier `t` itself: not from a function literal
 * made in it, which runs when and where something else calls it.
 */
export function callsOn(body: Node, t: string, methods: readonly string[] = FAILING_METHODS): boolean {
  let found = false;
  walkDescendants(
    body,
    (n) => {
      if (found || n.type === 'func_literal') return false;
      const callee = n.childForFieldName('function');
      if (callee?.type === 'selector_expression' && callee.childForFieldName('operand')?.text === t && methods.includes(callee.childForFieldName('field')?.text ?? '')) found = true;
      return !found;
    },
    CALLS,
  );
  return found;
}

const CALLS = new Set(['call_expression', 'func_literal']);

/** A regular expression matching a call of one of `methods` on `receiver` (`b.ResetTimer(`). */
export function methodCallPattern(receiver: string, methods: readonly string[]): RegExp {
  return new RegExp(`\\b${receiver}\\s*\\.\\s*(?:${methods.join('|')})\\s*\\(`);
}

/**
 * The loop among a benchmark body's top-level statements that runs its work b.N times, with the
 * form it takes: `for i := 0; i < b.N; i++`, `for n := b.N; n > 0; n--`, `for range b.N` (the
 * header mentions b.N) or, from Go 1.24, `for b.Loop()`.
 */
export function timedLoop(body: Node, b: string): { loop: Node; index: number; usesLoop: boolean } | undefined {
  const statements = blockStatements(body);
  const bN = new RegExp(`\\b${b}\\s*\\.\\s*N\\b`);
  const bLoop = methodCallPattern(b, ['Loop']);
  for (const [index, statement] of statements.entries()) {
    if (statement.type !== 'for_statement') continue;
    const loopBody = statement.childForFieldName('body');
    const header = statement.text.slice(0, loopBody ? loopBody.startIndex - statement.startIndex : undefined);
    if (bLoop.test(header)) return { loop: statement, index, usesLoop: true };
    if (bN.test(header)) return { loop: statement, index, usesLoop: false };
  }
  return undefined;
}

/** Names of package-level tables (declared elsewhere, so only the name says it is a table of cases). */
const TABLE_NAME = /(?:^tt|^tcs|[tT]ests|[cC]ases|[tT]able|[vV]ectors)$/;

/** A table of cases: the composite literal the loop ranges over, when the function shows it. */
export interface CaseTable {
  /** The composite literal, when declared in the function (or ranged over directly). */
  literal: Node | undefined;
}

/** The table a range clause ranges over, if it looks like one: a literal of structs, or a package-level table by its name. */
export function caseTable(range: Node, fn: Node, loop: Node): CaseTable | undefined {
  const right = range.childForFieldName('right');
  if (!right) return undefined;
  if (right.type === 'composite_literal') return isCaseLiteral(right) ? { literal: right } : undefined;
  if (right.type !== 'identifier') return undefined;
  const binding = lastBindingBefore(fn, loop, right.text);
  if (binding?.type === 'composite_literal') return isCaseLiteral(binding) ? { literal: binding } : undefined;
  // Bound in the function to something else (a call's result): not a table we can see.
  return !binding && TABLE_NAME.test(right.text) ? { literal: undefined } : undefined;
}

/**
 * The value last bound to `name` in `fn` before `loop` (null when bound to no value we can pair),
 * or undefined when the function does not bind it there.
 */
function lastBindingBefore(fn: Node, loop: Node, name: string): Node | null | undefined {
  // The statements before the loop in each block that encloses it, nearest first: where a table the
  // loop can see is bound. (A walk of the function visited every node of the table literal itself,
  // thousands in a large test, once per loop.) A statement that assigns the name somewhere inside
  // (`table = append(table, x)` in an earlier loop) sends the search back to the walk.
  const assigns = new RegExp(`\\b${name}\\s*(?:,[^=\\n]*)?(?::=|=[^=])`);
  for (let child: Node = loop, parent = loop.parent; parent && child.id !== fn.id; child = parent, parent = parent.parent) {
    if (parent.type === 'func_literal') return undefined;
    if (parent.type !== 'statement_list' && parent.type !== 'block') continue;
    for (let statement = child.previousNamedSibling; statement; statement = statement.previousNamedSibling) {
      const specs = statement.type === 'var_declaration' ? varSpecs(statement).reverse() : [statement];
      for (const spec of specs) {
        const binding = bindingFor(spec, name);
        if (binding) return binding.value ?? null;
      }
      if (statement.type !== 'var_declaration' && assigns.test(statement.text)) return walkedBindingBefore(fn, loop, name);
    }
  }
  return undefined;
}

/** The specs of `var x = ...` and of `var ( ... )` (whose specs sit in a var_spec_list). */
function varSpecs(declaration: Node): Node[] {
  return declaration.namedChildren.flatMap((c) => (c?.type === 'var_spec' ? [c] : c?.type === 'var_spec_list' ? c.namedChildren.filter((s): s is Node => s?.type === 'var_spec') : []));
}

/** lastBindingBefore by a walk of the whole function up to the loop. */
function walkedBindingBefore(fn: Node, loop: Node, name: string): Node | null | undefined {
  let value: Node | null | undefined;
  walkDescendants(
    fn,
    (n) => {
      if (n.startIndex >= loop.startIndex) return false;
      // A literal that ends before the loop binds nothing the loop sees (the table itself is one).
      if (n.type === 'composite_literal') return n.endIndex > loop.startIndex;
      const binding = bindingFor(n, name);
      if (binding) value = binding.value ?? null;
      return true;
    },
    BINDINGS,
  );
  return value;
}

const BINDINGS = new Set(['short_var_declaration', 'var_spec', 'assignment_statement', 'composite_literal']);

/** Element types that may be structs: a struct type, a named type, or a pointer to one (not a slice, map or basic type). */
function isStructLike(type: Node | null): boolean {
  const target = type?.type === 'pointer_type' ? type.namedChildren[0] : type;
  if (target?.type === 'struct_type' || target?.type === 'qualified_type') return true;
  return target?.type === 'type_identifier' && !BASIC_TYPE.test(target.text);
}

const BASIC_TYPE = /^(?:bool|byte|rune|string|error|any|u?int(?:8|16|32|64)?|uintptr|float(?:32|64)|complex(?:64|128))$/;

/** A slice, array or map literal of at least two structs: `[]struct{...}{{...}, {...}}`, `map[string]testCase{...}`. */
function isCaseLiteral(literal: Node): boolean {
  const type = literal.childForFieldName('type');
  if (!type || !['slice_type', 'array_type', 'implicit_length_array_type', 'map_type'].includes(type.type)) return false;
  if (!isStructLike(type.childForFieldName(type.type === 'map_type' ? 'value' : 'element'))) return false;
  const elements = literal.childForFieldName('body')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
  return elements.length >= 2;
}
