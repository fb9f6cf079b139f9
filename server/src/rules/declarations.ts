// Questions about a top-level declaration as a whole, shared by the idiom rules (the declaration
// that holds a node is syntax.topLevelDeclaration): its name, and whether it gives a builtin's name
// to something of its own. Everything here looks only inside that declaration.
import type { Node } from 'web-tree-sitter';
import { walkDescendants } from '../engine/syntax';
import { isWordCharAt } from '../text/words';

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
    if (isWordCharAt(text, at - 1) || isWordCharAt(text, at + name.length)) continue;
    const n = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
    if (n?.type === 'identifier' && n.text === name && isDeclaredName(n)) return true;
  }
  return false;
}

/** A local name bound in a way whose type the syntax does not give (a range variable, a call's result...). */
const UNKNOWN_TYPE = '';

/** The prefix of the pseudo-type of a map, slice or array of functions: `[]func:` and the functions' result shape. */
export const FUNC_ELEMENTS = '[]func:';

/** A function type's result shape (".e" for `(int, error)`), as the summary writes shapes. */
function resultShape(fn: Node): string {
  const result = fn.childForFieldName('result');
  if (!result) return '';
  if (result.type !== 'parameter_list') return result.text === 'error' ? 'e' : '.';
  let shape = '';
  for (const param of result.namedChildren) {
    if (param?.type !== 'parameter_declaration') continue;
    const kind = param.childForFieldName('type')?.text === 'error' ? 'e' : '.';
    shape += kind.repeat(Math.max(1, param.childrenForFieldName('name').length));
  }
  return shape;
}

/**
 * The package-local type a type expression names: `T`, `*T`, `T[int]`, `*T[int]`; for a map,
 * slice or array of functions (`map[string]func() error`), FUNC_ELEMENTS and their result shape;
 * undefined for others.
 */
function localTypeName(type: Node | null): string | undefined {
  if (type?.type === 'map_type' || type?.type === 'slice_type' || type?.type === 'array_type') {
    const element = type.childForFieldName(type.type === 'map_type' ? 'value' : 'element');
    return element?.type === 'function_type' ? FUNC_ELEMENTS + resultShape(element) : undefined;
  }
  return namedTypeName(type?.type === 'pointer_type' ? type.namedChild(0) : type);
}

/** The name a type expression gives its type: `T`, or `T` of `T[int]`; undefined for others (`*T` included). */
export function namedTypeName(type: Node | null): string | undefined {
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  return type?.type === 'type_identifier' ? type.text : undefined;
}

/** The type a value evidently has: `T{...}`, `&T{...}` or `new(T)` of a package-local T. */
function evidentType(value: Node | undefined): string | undefined {
  if (!value) return undefined;
  if (value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&') value = value.childForFieldName('operand') ?? undefined;
  if (value?.type === 'composite_literal') return localTypeName(value.childForFieldName('type'));
  if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'new') {
    const args = value.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
    return args.length === 1 && args[0] ? localTypeName(args[0]) : undefined;
  }
  return undefined;
}

/** The value at `index` of a binding's right side of `count` targets, when the sides pair up. */
function pairedAt(index: number, count: number, values: Node | null): Node | undefined {
  const sources = values?.type === 'expression_list' ? values.namedChildren.filter((n) => n?.type !== 'comment') : values ? [values] : [];
  if (index < 0 || count !== sources.length) return undefined;
  return sources[index] ?? undefined;
}

/**
 * In a binding (`var name = v`, `name := v`, `name = v`, a range or select case's `:=`), the target
 * `name` and the value paired with it (none when the sides do not pair up, or a var has no value);
 * undefined when the binding does not bind `name`.
 */
export function bindingFor(node: Node, name: string): { target: Node; value: Node | undefined } | undefined {
  const targets = (node.type === 'var_spec' ? node.childrenForFieldName('name') : node.childForFieldName('left')?.namedChildren ?? []).filter((t) => t?.type !== 'comment');
  const index = targets.findIndex((t) => t?.type === 'identifier' && t.text === name);
  if (index < 0) return undefined;
  return { target: targets[index]!, value: pairedAt(index, targets.length, node.childForFieldName(node.type === 'var_spec' ? 'value' : 'right')) };
}

/**
 * What an identifier declares: the node that declares it (a parameter, a var spec, a short variable
 * declaration...), and the type written for it or the value it is given (`index`: which result of
 * a multi-valued value, `a, b := f()`), when the syntax shows them; undefined when the identifier
 * is a use. A range, select or type-switch variable, a constant or a type parameter has neither.
 */
export interface Declaration {
  node: Node;
  type: Node | null;
  value: Node | undefined;
  index: number;
}

/** The value of a name among `names` (`a, b` of `a, b := v, w` or `a, b := f()`), with its result index. */
function valueOf(names: readonly (Node | null)[], id: Node, values: Node | null): { value: Node | undefined; index: number } {
  const targets = names.filter((n) => n?.type !== 'comment');
  const i = targets.findIndex((t) => t?.id === id.id);
  const sources = values?.type === 'expression_list' ? values.namedChildren.filter((n) => n?.type !== 'comment') : values ? [values] : [];
  if (i < 0 || sources.length === 0) return { value: undefined, index: 0 };
  if (sources.length === targets.length) return { value: sources[i] ?? undefined, index: 0 };
  return sources.length === 1 ? { value: sources[0] ?? undefined, index: i } : { value: undefined, index: 0 };
}

export function declarationOf(id: Node): Declaration | undefined {
  const parent = id.parent;
  if (!parent) return undefined;
  const none = { node: parent, type: null, value: undefined, index: 0 };
  switch (parent.type) {
    case 'parameter_declaration':
      return { ...none, type: parent.childForFieldName('type') };
    case 'var_spec': {
      const type = parent.childForFieldName('type');
      return type ? { ...none, type } : { node: parent, type: null, ...valueOf(parent.childrenForFieldName('name'), id, parent.childForFieldName('value')) };
    }
    case 'variadic_parameter_declaration':
    case 'const_spec':
    case 'type_parameter_declaration':
      return none;
    case 'function_declaration':
    case 'method_declaration':
      return parent.childForFieldName('name')?.id === id.id ? none : undefined;
    case 'expression_list': {
      const statement = parent.parent;
      if (!statement) return undefined;
      if (statement.type === 'short_var_declaration' && statement.childForFieldName('left')?.id === parent.id) {
        return { node: statement, type: null, ...valueOf(parent.namedChildren, id, statement.childForFieldName('right')) };
      }
      // `for k, v := range`, `switch x := v.(type)`, `case x := <-ch`: bound, type unknown.
      const declares = statement.children.some((c) => c?.type === ':=');
      if (declares && (statement.type === 'range_clause' || statement.type === 'receive_statement') && statement.childForFieldName('left')?.id === parent.id) return { ...none, node: statement };
      if (statement.type === 'type_switch_statement' && statement.childForFieldName('alias')?.id === parent.id) return { ...none, node: statement };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What an identifier named `name` declares: undefined when it is a use, UNKNOWN_TYPE when it binds
 * the name with a type the syntax does not tell, or the package-local type it gives the name.
 */
function bindingOf(id: Node): string | undefined {
  const declaration = declarationOf(id);
  if (!declaration) return undefined;
  if (declaration.type) return localTypeName(declaration.type) ?? UNKNOWN_TYPE;
  return (declaration.index === 0 ? evidentType(declaration.value) : undefined) ?? UNKNOWN_TYPE;
}

/** A line that may declare a name: a short declaration, or the keywords that start the others. */
const MAY_DECLARE = /:=|\b(var|const|func)\b/;

/**
 * Whether the name at `at` begins its line and a blank or a comma follows: a spec of a grouped
 * `var (...)` (`buf bytes.Buffer` on a line of its own), or a statement such as `x = ...` (looked
 * at, and found a use).
 */
function startsSpecLine(text: string, at: number, length: number): boolean {
  const next = text.charCodeAt(at + length);
  if (next !== 32 && next !== 9 && next !== 44) return false;
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The line of `text` that holds offset `at`. */
function lineAround(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(text.lastIndexOf('\n', at) + 1, end < 0 ? text.length : end);
}

/** One declaration's answers, for the calls checked in it one after another. */
let typeCache: { tree: unknown; id: number; types: Map<string, string | undefined> } | undefined;

/**
 * The package-local type of a variable that the declaration binds exactly once, when the binding
 * shows it: the receiver or a parameter (`s *Server`, `c conn`), `x := T{...}`, `&T{...}` or
 * `new(T)`, `var x T`. Undefined for anything else: a name bound twice (shadowed, or in two
 * closures), bound by a call, a range or a type switch, or not bound in the declaration at all
 * (a package-level variable). A parameter of a function literal written on a line of its own
 * after another (`b` in `a, b int` on a line of its own) is not seen as a binding: the name then stays unknown, or,
 * shadowing another binding, is taken for it.
 */
export function localVariableType(decl: Node, name: string): string | undefined {
  if (typeCache?.tree !== decl.tree || typeCache.id !== decl.id) typeCache = { tree: decl.tree, id: decl.id, types: new Map() };
  if (typeCache.types.has(name)) return typeCache.types.get(name);
  const found = onlyDeclaration(decl, name);
  const binding = found && bindingOf(found.id);
  const type = binding === UNKNOWN_TYPE ? undefined : binding;
  typeCache.types.set(name, type);
  return type;
}

/**
 * The one identifier that declares `name` in a declaration, and what it declares; undefined when
 * the declaration declares the name never or more than once (shadowed, or in two closures). Found
 * from the text: the signature holds the receiver and parameters; in the body only a line that can
 * declare (`:=`, var, const, func; type switches and ranges use `:=`) is looked at in the tree, not
 * the hundreds of uses of a receiver in a long method.
 */
export function onlyDeclaration(decl: Node, name: string): { id: Node; declaration: Declaration } | undefined {
  let found: { id: Node; declaration: Declaration } | undefined;
  const text = decl.text;
  const bodyStart = decl.childForFieldName('body')?.startIndex;
  const signatureEnd = bodyStart === undefined ? text.length : bodyStart - decl.startIndex;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (isWordCharAt(text, at - 1) || isWordCharAt(text, at + name.length)) continue;
    if (at >= signatureEnd && !startsSpecLine(text, at, name.length) && !MAY_DECLARE.test(lineAround(text, at))) continue;
    const n = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
    if (n?.type !== 'identifier' || n.text !== name) continue;
    const declaration = declarationOf(n);
    if (declaration === undefined) continue;
    if (found !== undefined) return undefined;
    found = { id: n, declaration };
  }
  return found;
}

/**
 * The targets and values of an assignment (`a, _ = f()`), a short variable declaration
 * (`v, _ := f()`) or a var spec with values (`var v, _ = f()`); undefined for anything else.
 */
export function assignmentSides(node: Node): { targets: Node[]; values: Node[] } | undefined {
  const named = (list: Node | null) => list?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  if (node.type === 'var_spec') {
    const targets = node.childrenForFieldName('name').filter((c): c is Node => c !== null);
    const values = named(node.childForFieldName('value'));
    return values.length > 0 ? { targets, values } : undefined;
  }
  if (node.type === 'assignment_statement' && node.childForFieldName('operator')?.text !== '=') return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return undefined;
  return { targets: named(left), values: named(right) };
}

/** Whether a statement or var spec declares `name`: `name, err := ...`, `var name = ...`, `var (...)`. */
export function declaresName(node: Node, name: string): boolean {
  if (node.type === 'short_var_declaration') return (node.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.text === name);
  if (node.type === 'var_spec') return node.childrenForFieldName('name').some((n) => n?.text === name);
  if (node.type === 'var_declaration') return node.descendantsOfType('var_spec').some((spec) => spec !== null && declaresName(spec, name));
  return false;
}

/** What lastBindingBefore looks at: the nodes that may bind a name, and the function literals it skips. */
const BINDING_NODES: ReadonlySet<string> = new Set(['parameter_declaration', 'var_spec', 'short_var_declaration', 'range_clause', 'func_literal', 'composite_literal']);

/** A binding of a local name: the node that makes it, its declared type (a parameter, `var x T`) and its value. */
export interface LocalBinding {
  node: Node;
  type: Node | null;
  value: Node | undefined;
}

/**
 * The last binding of `name` before `before` in the declaration `decl`, along the functions that
 * enclose `before` (a function literal that does not hold it is skipped): a parameter, `var`, `:=`
 * or a range's `:=`. Scopes are not followed: a binding in a block that ended before `before` still
 * counts, which the callers accept for the local variables they look at.
 */
export function lastBindingBefore(decl: Node, name: string, before: Node): LocalBinding | undefined {
  let found: LocalBinding | undefined;
  walkDescendants(
    decl,
    (n) => {
      if (n.startIndex >= before.startIndex) return false;
      if (n.type === 'func_literal') return n.endIndex >= before.endIndex;
      // A literal that ends before `before` binds nothing (its function literals are scopes of their own).
      if (n.type === 'composite_literal') return n.endIndex > before.startIndex;
      if (n.type === 'parameter_declaration') {
        if (n.childrenForFieldName('name').some((id) => id?.text === name)) found = { node: n, type: n.childForFieldName('type'), value: undefined };
        return false;
      }
      if (n.type === 'range_clause' && !n.children.some((c) => c?.type === ':=')) return true;
      const binding = bindingFor(n, name);
      if (binding) found = { node: n, type: n.type === 'var_spec' ? n.childForFieldName('type') : null, value: n.type === 'range_clause' ? undefined : binding.value };
      return true;
    },
    BINDING_NODES,
  );
  return found;
}
