// Decides, from syntax alone, whether an expression is an error value. Without a type checker
// this follows Go's near-universal naming conventions and confirms them against the declarations
// it can see: a name declared in the enclosing functions with an explicit non-error type is not an error.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from './imports';
import { calleeOf, callArguments, FUNCTION_TYPES } from './syntax';

/** `err`, `err2`, `readErr`, `ErrNotFound`, `errNotFound`: the names Go code gives error values. */
const ERROR_NAME = /^(err\d*|[a-z][A-Za-z0-9]*Err\d*|[Ee]rr[A-Z0-9][A-Za-z0-9_]*)$/;

/** Names that look like errors but conventionally hold text or counts: errMsg, errStr, errCount... */
const NOT_AN_ERROR = /^[Ee]rr(Msg|Message|Str|String|Text|Desc|Code|Count|Num|Chan|Ch|C|Line|Lines|Output|Out|Buf|Field|Fields|Prefix|Suffix|Fmt|Format|Pos|Type|Types|Kind)s?$/;

export type ErrorOperand =
  /** The expression is an error value (err, ctx.Err(), io.EOF); `fresh` when made right there (errors.New). */
  | { kind: 'error'; node: Node; fresh?: boolean }
  /** The expression is `x.Error()`: the error's text, with `x` the error. */
  | { kind: 'errorText'; node: Node; error: Node };

export function errorOperand(expr: Node, imports: ImportTable): ErrorOperand | undefined {
  if (expr.type === 'parenthesized_expression') {
    const inner = expr.namedChildren.find((c) => c?.type !== 'comment');
    return inner ? errorOperand(inner, imports) : undefined;
  }
  if (expr.type === 'identifier') return isErrorIdentifier(expr) ? { kind: 'error', node: expr } : undefined;
  if (expr.type === 'selector_expression') {
    // A package's sentinel (io.EOF, sql.ErrNoRows). A field named like one (res.ErrMsg) may be anything.
    const operand = expr.childForFieldName('operand');
    const field = expr.childForFieldName('field')?.text ?? '';
    if (operand?.type !== 'identifier' || imports.pathOf(operand.text) === undefined) return undefined;
    return (/^Err[A-Z0-9]/.test(field) && !NOT_AN_ERROR.test(field)) || field === 'EOF' ? { kind: 'error', node: expr } : undefined;
  }
  if (expr.type === 'call_expression') {
    const callee = calleeOf(expr);
    if (!callee?.operand) return undefined;
    // errors.New("..."), fmt.Errorf("...") make an error right there.
    const qualifier = callee.operand.type === 'identifier' ? callee.operand.text : '';
    if ((qualifier === 'errors' && callee.name === 'New') || (qualifier === 'fmt' && callee.name === 'Errorf')) {
      return { kind: 'error', node: expr, fresh: true };
    }
    if (callArguments(expr).length > 0) return undefined;
    if (callee.name === 'Err') return { kind: 'error', node: expr };
    if (callee.name === 'Error') {
      const inner = errorOperand(callee.operand, imports);
      if (inner?.kind === 'error') return { kind: 'errorText', node: expr, error: callee.operand };
    }
  }
  return undefined;
}

export function isErrorIdentifier(id: Node): boolean {
  const declared = declaredTypeText(id);
  // A declaration in view decides, whatever the name (`e error` is an error, `err string` is not).
  if (declared !== undefined) return declared === 'error';
  return ERROR_NAME.test(id.text) && !NOT_AN_ERROR.test(id.text);
}

/**
 * The type written where `id` is declared as a parameter, result or `var` in the enclosing
 * functions, if such a declaration states a type. Short variable declarations state none.
 */
export function declaredTypeText(id: Node): string | undefined {
  const name = id.text;
  for (let fn = id.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    const params = parameterTypes(fn);
    if (params.has(name)) return params.get(name);
    const body = fn.childForFieldName('body');
    if (body) {
      for (const spec of typedVarSpecs(body)) {
        if (spec.start > id.startIndex) break;
        if (spec.names.includes(name)) return spec.type;
      }
    }
  }
  return undefined;
}

/**
 * The names a function's parameters, results and receiver declare, with their type text (the first
 * declaration of a name wins), per tree as for typedVarSpecs below: a long function asks for every
 * `err` in it.
 */
const parameterTypesByTree = new WeakMap<object, Map<number, Map<string, string | undefined>>>();

function parameterTypes(fn: Node): Map<string, string | undefined> {
  let byFunction = parameterTypesByTree.get(fn.tree);
  if (!byFunction) parameterTypesByTree.set(fn.tree, (byFunction = new Map()));
  let types = byFunction.get(fn.startIndex);
  if (!types) {
    types = new Map();
    for (const field of ['parameters', 'result', 'receiver']) {
      const list = fn.childForFieldName(field);
      if (!list || list.type !== 'parameter_list') continue;
      for (const param of list.namedChildren) {
        if (!param || (param.type !== 'parameter_declaration' && param.type !== 'variadic_parameter_declaration')) continue;
        const names = param.childrenForFieldName('name').filter((n): n is Node => n !== null);
        if (names.length === 0) continue;
        const type = param.childForFieldName('type')?.text;
        for (const n of names) if (!types.has(n.text)) types.set(n.text, type);
      }
    }
    byFunction.set(fn.startIndex, types);
  }
  return types;
}

/** A `var` declaration with a stated type inside a function body: its names, type text and start. */
interface TypedVarSpec {
  start: number;
  names: string[];
  type: string;
}

/**
 * The typed `var` specs of each function body, in text order, per tree: looking them up for every
 * error-like name would walk a long function's body once per `err` in it. Trees are immutable and
 * a new one comes with every parse, so a body's entry never goes stale; it goes with its tree.
 */
const typedVarSpecsByTree = new WeakMap<object, Map<number, TypedVarSpec[]>>();

function typedVarSpecs(body: Node): TypedVarSpec[] {
  let byBody = typedVarSpecsByTree.get(body.tree);
  if (!byBody) typedVarSpecsByTree.set(body.tree, (byBody = new Map()));
  let specs = byBody.get(body.startIndex);
  if (!specs) {
    specs = [];
    // Cheap first: most bodies declare nothing with `var`.
    if (body.text.includes('var')) {
      for (const spec of body.descendantsOfType('var_spec')) {
        const type = spec?.childForFieldName('type');
        if (!spec || !type) continue;
        specs.push({ start: spec.startIndex, names: spec.childrenForFieldName('name').map((n) => n?.text ?? ''), type: type.text });
      }
    }
    byBody.set(body.startIndex, specs);
  }
  return specs;
}
