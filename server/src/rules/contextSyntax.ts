// context.Context as the syntax shows it: the type written through the file's imports (aliases
// included), and the parameters of a function that have it. Shared by the context rules (GR209-GR212).
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import type { ImportTable } from '../engine/imports';
import { stdlibTypeRole } from '../engine/stdlib';
import { FUNCTION_TYPES } from '../engine/syntax';

/** The local names under which the file imports "context" (usually just `context`). */
export function contextNames(file: FileFacts): string[] {
  return file.imports.localNamesOf('context');
}

/** The role of the standard type a qualified type names (`ctxpkg.Context` -> "context"), through the imports. */
export function qualifiedRole(type: Node | null, imports: ImportTable): string | undefined {
  if (type?.type !== 'qualified_type') return undefined;
  const pkg = type.childForFieldName('package')?.text;
  const name = type.childForFieldName('name')?.text;
  const path = pkg === undefined ? undefined : imports.pathOf(pkg);
  return path === undefined || name === undefined ? undefined : stdlibTypeRole(path, name);
}

/** Whether a type node is `context.Context` (not a pointer to it). */
export function isContextType(type: Node | null, imports: ImportTable): boolean {
  return qualifiedRole(type, imports) === 'context';
}

/** Whether a type node is `context.CancelFunc` or `context.CancelCauseFunc`. */
export function isCancelFuncType(type: Node | null, imports: ImportTable): boolean {
  if (type?.type !== 'qualified_type') return false;
  const name = type.childForFieldName('name')?.text;
  return (name === 'CancelFunc' || name === 'CancelCauseFunc') && imports.pathOf(type.childForFieldName('package')?.text ?? '') === 'context';
}

/** Whether a type node is `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB`: what may come before a context. */
export function isTestingType(type: Node | null, imports: ImportTable): boolean {
  const role = qualifiedRole(type?.type === 'pointer_type' ? type.namedChildren[0] ?? null : type, imports);
  return role !== undefined && role.startsWith('testing.');
}

/** One parameter of a function: its name node (undefined when unnamed) and its type. */
export interface Parameter {
  name: Node | undefined;
  type: Node | null;
  /** `...T`: the parameter is a []T. */
  variadic: boolean;
}

/** A function's parameters in order, one per name (`a, b int` gives two), the receiver aside. */
export function parametersOf(fn: Node): Parameter[] {
  return parameterList(fn.childForFieldName('parameters'));
}

/** The entries of a parameter list (a function's parameters, or its results when they are a list), one per name. */
export function parameterList(list: Node | null): Parameter[] {
  const out: Parameter[] = [];
  for (const decl of list?.namedChildren ?? []) {
    if (!decl || (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration')) continue;
    const type = decl.childForFieldName('type');
    const variadic = decl.type === 'variadic_parameter_declaration';
    const names = decl.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (names.length === 0) out.push({ name: undefined, type, variadic });
    else for (const name of names) out.push({ name, type, variadic });
  }
  return out;
}

/** The nearest function around `node` (a declaration or a literal) with a parameter named `name`, with that parameter. */
export function parameterNamed(node: Node, name: string): { fn: Node; param: Parameter } | undefined {
  for (let fn = node.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    const param = parametersOf(fn).find((p) => p.name?.text === name);
    if (param) return { fn, param };
  }
  return undefined;
}

/** The function around `node` whose parameter `name` is a `*testing.T` (or B, F, TB), if the nearest one declaring it is. */
export function testingParameterOwner(node: Node, name: string, imports: ImportTable): Node | undefined {
  const found = parameterNamed(node, name);
  return found && isTestingType(found.param.type, imports) ? found.fn : undefined;
}
