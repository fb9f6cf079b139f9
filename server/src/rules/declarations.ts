// Questions about a top-level declaration as a whole, shared by the idiom rules (the declaration
// that holds a node is syntax.topLevelDeclaration): its name, and whether it gives a builtin's name
// to something of its own. Everything here looks only inside that declaration.
import type { Node } from 'web-tree-sitter';

/** The name of a function or method declaration ("init", "MustParse"), or undefined for others. */
export function declaredFunctionName(decl: Node): string | undefined {
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return undefined;
  return decl.childForFieldName('name')?.text;
}

/** Declarations whose identifier children are the names they declare (types are type_identifiers). */
const NAMING_DECLARATIONS = new Set(['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec']);

/** Statements whose `left` expression list declares names (`x := ...`, `for k, v := range ...`). */
const SHORT_DECLARATIONS = new Set(['short_var_declaration', 'range_clause']);

/** Whether an identifier is a name being declared rather than used. */
function isDeclaredName(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (NAMING_DECLARATIONS.has(parent.type)) return true;
  if (parent.type === 'function_declaration') return parent.childForFieldName('name')?.id === id.id;
  if (parent.type !== 'expression_list') return false;
  const statement = parent.parent;
  // A range clause with `=` assigns existing variables; only `:=` declares.
  if (!statement || !SHORT_DECLARATIONS.has(statement.type) || statement.childForFieldName('left')?.id !== parent.id) return false;
  return statement.type === 'short_var_declaration' || statement.children.some((c) => c?.type === ':=');
}

/**
 * Whether the declaration binds `name` itself (a parameter, a local variable or constant, a
 * range variable, or the declaration's own name), so that a call of `name` in it may not be the
 * builtin. Only the declaration's text is read: a package-level `var panic` in another
 * declaration is not seen.
 */
export function bindsName(decl: Node, name: string): boolean {
  // Found from the text: only the identifiers spelled `name` are looked at in the tree.
  const text = decl.text;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (WORD_CHAR.test(text[at - 1] ?? '') || WORD_CHAR.test(text[at + name.length] ?? '')) continue;
    const n = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
    if (n?.type === 'identifier' && n.text === name && isDeclaredName(n)) return true;
  }
  return false;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
