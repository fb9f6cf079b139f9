// The testing package as the syntax shows it: which declarations are Test and Benchmark functions
// and the name they give their *testing.T or *testing.B, and how a benchmark's timed loop looks.
// Shared by the testing rules (GR301-GR307).
import type { Node } from 'web-tree-sitter';
import { blockStatements } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import { isTestingType, parametersOf } from './contextSyntax';

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
