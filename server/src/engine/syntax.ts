// Small, shared questions about tree-sitter-go syntax, so rules read as rules and not as tree walks.
// Everything here is iterative or bounded by the nesting of one statement: no helper recurses over
// a whole tree (a file with 10,000 nested blocks must not overflow the stack).
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from './imports';

export const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** The statements a plain `break` leaves: loops, switches and selects. */
export const BREAKABLE_TYPES: ReadonlySet<string> = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);

/** The top-level declaration holding `node` (the cache unit): nothing outside it may be read. */
export function topLevelDeclaration(node: Node): Node {
  // The root is not always a source_file: a badly broken file parses into an ERROR root.
  let current = node;
  for (let up = current.parent; up?.parent; up = up.parent) current = up;
  return current;
}

/** The nearest enclosing function declaration, method or function literal. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

/** The statements of a block (tree-sitter-go wraps them in a statement_list). */
export function blockStatements(block: Node): Node[] {
  const list = block.namedChildren.find((c) => c?.type === 'statement_list');
  const source = list ?? block;
  return source.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/**
 * The statement_list or block that directly holds a statement, and the statement's index in it.
 * Also works for statements in case clauses (expression_case, communication_case, ...).
 */
export function statementContainer(statement: Node): { container: Node; statements: Node[]; index: number } | undefined {
  const parent = statement.parent;
  if (!parent) return undefined;
  const statements = parent.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const index = statements.findIndex((s) => s.id === statement.id);
  if (index < 0) return undefined;
  return { container: parent, statements, index };
}

/**
 * The statement just before `statement` in its block or case clause, skipping comments. Cheaper
 * than statementContainer in a long function: it reads one sibling, not every statement.
 */
export function previousStatement(statement: Node): Node | undefined {
  for (let s = statement.previousNamedSibling; s; s = s.previousNamedSibling) if (s.type !== 'comment') return s;
  return undefined;
}

/** The statement just after `statement` in its block or case clause, skipping comments. */
export function nextStatement(statement: Node): Node | undefined {
  for (let s = statement.nextNamedSibling; s; s = s.nextNamedSibling) if (s.type !== 'comment') return s;
  return undefined;
}

/** The innermost `for` loop holding `node` in its own function (not across a function literal). */
export function enclosingLoop(node: Node): Node | undefined {
  for (let n = node.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) if (n.type === 'for_statement') return n;
  return undefined;
}

/** The block a statement_list belongs to, or undefined for case clauses. */
export function owningBlock(container: Node): Node | undefined {
  if (container.type === 'block') return container;
  if (container.type === 'statement_list' && container.parent?.type === 'block') return container.parent;
  return undefined;
}

/** Whether a block is the body of a function or function literal. */
export function isFunctionBody(block: Node): boolean {
  const parent = block.parent;
  return parent !== null && FUNCTION_TYPES.has(parent.type) && parent.childForFieldName('body')?.id === block.id;
}

export interface Callee {
  /** For `a.b.C(...)`, the operand text "a.b"; undefined for plain `f(...)`. */
  operand: Node | undefined;
  /** The called name: "C" in `a.b.C(...)`, "f" in `f(...)`. */
  name: string;
  nameNode: Node;
}

/** The callee of a call_expression, when it is a plain or selector call. */
export function calleeOf(call: Node): Callee | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return { operand: undefined, name: fn.text, nameNode: fn };
  if (fn.type === 'selector_expression') {
    const field = fn.childForFieldName('field');
    const operand = fn.childForFieldName('operand');
    if (!field || !operand) return undefined;
    return { operand, name: field.text, nameNode: field };
  }
  return undefined;
}

/**
 * Whether `call` calls `pkgPath`.`name` as resolved through the file's imports: `fmt.Errorf`
 * with `import "fmt"`, `f.Errorf` with `import f "fmt"`, or `Errorf` with `import . "fmt"`.
 */
export function isPackageCall(call: Node, imports: ImportTable, pkgPath: string, name: string): boolean {
  const callee = calleeOf(call);
  if (!callee || callee.name !== name) return false;
  if (!callee.operand) return imports.isDotImported(pkgPath);
  return callee.operand.type === 'identifier' && imports.pathOf(callee.operand.text) === pkgPath;
}

/** Whether an identifier names an imported package (so `x.Lock()` is a package function, not a method). */
export function isImportedPackageName(node: Node, imports: ImportTable): boolean {
  return node.type === 'identifier' && imports.pathOf(node.text) !== undefined;
}

/** The call_expression of an expression statement such as `mu.Lock()`, if that is what it is. */
export function statementCall(statement: Node): Node | undefined {
  if (statement.type !== 'expression_statement') return undefined;
  const expr = statement.namedChildren[0];
  return expr?.type === 'call_expression' ? expr : undefined;
}

/** Whether a node is a string literal, interpreted (`"..."`) or raw (`` `...` ``). */
export function isStringLiteral(node: Node): boolean {
  return node.type === 'interpreted_string_literal' || node.type === 'raw_string_literal';
}

/** The arguments of a call, without the parentheses and commas. */
export function callArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/**
 * The type \`new(T)\` allocates, as written (\`T\`: tree-sitter reads it as an identifier or a type
 * name; \`T\` too for \`new(T[int])\`), or undefined for any other expression.
 */
export function newTypeName(expression: Node): string | undefined {
  if (expression.type !== 'call_expression' || expression.childForFieldName('function')?.text !== 'new') return undefined;
  const args = callArguments(expression);
  const type = args.length === 1 ? args[0]! : undefined;
  if (type?.type === 'generic_type') return type.childForFieldName('type')?.text;
  return type && (type.type === 'identifier' || type.type === 'type_identifier') ? type.text : undefined;
}

/** Source text with all whitespace removed, for comparing receivers such as `s.mu` and `s .mu`. */
export function compactText(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** The line containing `offset`, from its start up to `offset`: what text anchors read before the tree. */
export function linePrefix(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}

/** The whitespace that starts the line containing `offset`. */
export function indentationAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === '\t' || text[end] === ' ')) end++;
  return text.slice(lineStart, end);
}

/** The line break the file uses ("\r\n" when its first line ends that way). */
export function lineBreakOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The line break that ends the line at `lineEndOffset` (an offset where a line ends), or the
 * file's when that line is the last. Fixes inserting a line after another use this rather than
 * lineBreakOf: it depends only on the text at hand, so findings cached per declaration stay right
 * when an edit elsewhere changes the first line's break.
 */
export function lineBreakAt(text: string, lineEndOffset: number): string {
  if (text[lineEndOffset] === '\r' && text[lineEndOffset + 1] === '\n') return '\r\n';
  // A lone "\r" is not a line break to Go (only "\n" is), so it gets the plain one.
  return lineEndOffset < text.length ? '\n' : lineBreakOf(text);
}

/**
 * The range covering the whole line(s) of [start, end), including leading indentation and the line
 * break, for deleting a statement that stands alone on its line. Undefined when the line holds
 * other code (the caller then deletes only the statement).
 */
export function wholeLineRange(text: string, start: number, end: number): { start: number; end: number } | undefined {
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  if (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') return undefined;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  if (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n') lineEnd += 2;
  else if (text[lineEnd] === '\n' || text[lineEnd] === '\r') lineEnd += 1;
  else if (lineEnd < text.length) return undefined;
  return { start: lineStart, end: lineEnd };
}

/**
 * Visits the descendants of `node` in document order without recursion, skipping the subtrees
 * for which `enter` returns false (for example nested function literals). With `only`, `enter`
 * sees just the nodes of those types: the others are walked through without making a JavaScript
 * object for each, which is most of the cost of walking a long function.
 */
export function walkDescendants(node: Node, enter: (n: Node) => boolean | void, only?: ReadonlySet<string>): void {
  const cursor = node.walk();
  try {
    if (!cursor.gotoFirstChild()) return;
    let depth = 1;
    for (;;) {
      const descend = only && !only.has(cursor.nodeType) ? true : enter(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (--depth === 0 || !cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The type_spec that declares `type` (`type T struct{...}`: the struct type's spec), if it does. */
export function declaredBy(type: Node): Node | undefined {
  const spec = type.parent;
  return spec?.type === 'type_spec' && spec.childForFieldName('type')?.id === type.id ? spec : undefined;
}

/**
 * The select case whose communication a channel operation (or an expression inside it, such as the
 * call in `<-time.After(d)`) is: `case <-ch:`, `case v := <-ch:`, `case ch <- v:`. Statements of the
 * case's body sit in its statement_list, where the climb stops short of the case.
 */
export function communicationCaseOf(node: Node): Node | undefined {
  let n: Node | null = node.parent;
  while (n && (n.type === 'unary_expression' || n.type === 'receive_statement' || n.type === 'expression_list' || n.type === 'parenthesized_expression')) n = n.parent;
  return n?.type === 'communication_case' ? n : undefined;
}

/** Tokens that can span lines: a comment line cannot be put at an offset inside one. */
const MULTILINE_TOKENS = new Set(['raw_string_literal', 'interpreted_string_literal', 'comment']);

/** Whether `offset` lies strictly inside a string literal or a comment that holds `node` (the node at the offset). */
export function insideMultilineToken(node: Node | null, offset: number): boolean {
  for (let n = node; n; n = n.parent) {
    if (MULTILINE_TOKENS.has(n.type)) return n.startIndex < offset && offset < n.endIndex;
  }
  return false;
}
