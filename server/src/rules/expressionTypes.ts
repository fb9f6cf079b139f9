// The type of an expression in a declaration, as far as its text and the package summaries show it,
// without a type checker: a local variable's written type or the value it was declared with, a
// composite literal, `&x`, `*p`, a type assertion, an element of a slice declared with its type, a
// field of a struct (`l:` keys of the summary), the result of a call of a function or method of the
// package (`x:` keys), of another package of the workspace (through importedKey) or of the standard
// library (only results that hold a lock: data/stdlibLocks.json). Anything else is unknown.
import type { Node } from 'web-tree-sitter';
import { isStandardImportPath } from '../engine/imports';
import { AMBIGUOUS, parseTypeShape, PREDECLARED_TYPES } from '../engine/packageSummary';
import { importedKey, type PackageLookup } from '../engine/packageView';
import { stdlibLockResults } from '../engine/stdlib';
import { callArguments } from '../engine/syntax';
import type { RuleContext } from '../engine/types';
import { bindsName, onlyDeclaration, type Declaration } from './declarations';

/** A named type: its package's import path ('' for the checked file's own package), its name, and whether the value points to it. */
export interface TypeRef {
  readonly pkg: string;
  readonly name: string;
  readonly pointer: boolean;
}

/**
 * What a package's summary answers: the file's own package (ctx.pkg), or another package of the
 * workspace by import path; undefined for the standard library, whose summary is not read.
 */
export function packageLookup(ctx: RuleContext, pkg: string): PackageLookup | undefined {
  if (pkg === '') return ctx.pkg;
  if (isStandardImportPath(pkg)) return undefined;
  return { get: (key) => ctx.pkg.get(importedKey(pkg, key)) };
}

/** A type as a summary writes it (`*Request`, `state`, `*archive/zip.Reader`), read in package `pkg`. */
export function typeRefOf(written: string | undefined, pkg: string): TypeRef | undefined {
  if (!written || written === AMBIGUOUS) return undefined;
  const pointer = written.startsWith('*');
  const bare = pointer ? written.slice(1) : written;
  // `?q.T`: a qualifier that is not an import of the declaring file.
  if (bare.startsWith('?')) return undefined;
  const dot = bare.lastIndexOf('.');
  return dot < 0 ? { pkg, name: bare, pointer } : { pkg: bare.slice(0, dot), name: bare.slice(dot + 1), pointer };
}

/** How deep an expression is followed (`p.svr.getRequest(h)` is 4 steps). */
const MAX_DEPTH = 8;

/** The types of one declaration's expressions; the declaration's names are looked up once each. */
export class ExpressionTypes {
  private readonly declarations = new Map<string, { id: Node; declaration: Declaration } | undefined>();
  private readonly bound = new Map<string, boolean>();

  constructor(
    private readonly decl: Node,
    private readonly ctx: RuleContext,
  ) {}

  /** The type of an expression, or undefined when the syntax and the summaries do not show it. */
  typeOf(expr: Node | null | undefined, depth = 0): TypeRef | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    switch (expr.type) {
      case 'parenthesized_expression':
        return this.typeOf(expr.namedChild(0), depth + 1);
      case 'identifier':
        return this.variableType(expr, depth);
      case 'unary_expression': {
        const operator = expr.childForFieldName('operator')?.text;
        const operand = this.typeOf(expr.childForFieldName('operand'), depth + 1);
        if (operator === '&') return operand && !operand.pointer ? { ...operand, pointer: true } : undefined;
        if (operator === '*') return operand?.pointer ? { ...operand, pointer: false } : undefined;
        return undefined;
      }
      case 'composite_literal':
      case 'type_assertion_expression':
        return this.writtenType(expr.childForFieldName('type'));
      case 'call_expression':
        return this.resultType(expr, 0, depth);
      case 'selector_expression':
        return this.fieldType(expr, depth);
      case 'index_expression':
        return this.elementType(expr.childForFieldName('operand'));
      default:
        return undefined;
    }
  }

  /** A written type: `T`, `*T`, `T[int]`, `q.T`, `*q.T`; undefined for predeclared types and type literals. */
  writtenType(type: Node | null | undefined): TypeRef | undefined {
    if (type?.type === 'parenthesized_type') return this.writtenType(type.namedChild(0));
    const pointer = type?.type === 'pointer_type';
    let named = pointer ? type.namedChild(0) : type;
    if (named?.type === 'generic_type') named = named.childForFieldName('type');
    if (named?.type === 'type_identifier') return PREDECLARED_TYPES.has(named.text) ? undefined : { pkg: '', name: named.text, pointer };
    if (named?.type !== 'qualified_type') return undefined;
    const path = this.ctx.file.imports.pathOf(named.childForFieldName('package')?.text ?? '');
    const name = named.childForFieldName('name')?.text;
    return path && name ? { pkg: path, name, pointer } : undefined;
  }

  /** A type written as a call's argument (`new(T)`: tree-sitter reads `T` as an identifier, `zip.Reader` as a selector). */
  private argumentType(arg: Node | undefined): TypeRef | undefined {
    if (arg?.type === 'identifier') return PREDECLARED_TYPES.has(arg.text) ? undefined : { pkg: '', name: arg.text, pointer: false };
    if (arg?.type !== 'selector_expression') return this.writtenType(arg);
    const operand = arg.childForFieldName('operand');
    const path = operand && this.importPathOf(operand);
    const name = arg.childForFieldName('field')?.text;
    return path && name ? { pkg: path, name, pointer: false } : undefined;
  }

  /** The one declaration of a name in the declaration, when `use` comes after it. */
  private declarationBefore(name: string, use: Node): Declaration | undefined {
    if (!this.declarations.has(name)) this.declarations.set(name, onlyDeclaration(this.decl, name));
    const found = this.declarations.get(name);
    // `a := a.next` reads an outer `a`: the declaration's scope starts after it.
    return found && use.startIndex >= found.declaration.node.endIndex ? found.declaration : undefined;
  }

  /** Whether a name is one of the file's imports, not declared in the declaration (`zip` of `zip.NewReader`). */
  private importPathOf(name: Node): string | undefined {
    if (name.type !== 'identifier') return undefined;
    const path = this.ctx.file.imports.pathOf(name.text);
    return path === undefined || this.binds(name.text) ? undefined : path;
  }

  /** Whether the declaration declares a name anywhere (a local `zip`, or a func variable `open`, hides the package's). */
  private binds(name: string): boolean {
    let bound = this.bound.get(name);
    if (bound === undefined) {
      bound = bindsName(this.decl, name);
      this.bound.set(name, bound);
    }
    return bound;
  }

  private variableType(id: Node, depth: number): TypeRef | undefined {
    const declaration = this.declarationBefore(id.text, id);
    if (!declaration) return undefined;
    if (declaration.type) return declaration.node.type === 'parameter_declaration' || declaration.node.type === 'var_spec' ? this.writtenType(declaration.type) : undefined;
    const value = declaration.value;
    if (value?.type === 'call_expression') return this.resultType(value, declaration.index, depth + 1);
    return declaration.index === 0 ? this.typeOf(value, depth + 1) : undefined;
  }

  /** The type of result `index` of a call: `new(T)`, a function or method of the package, another package's or the standard library's. */
  private resultType(call: Node, index: number, depth: number): TypeRef | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') {
      if (this.binds(fn.text)) return undefined;
      if (fn.text === 'new') return index === 0 ? withPointer(this.argumentType(callArguments(call)[0])) : undefined;
      return resultAt(this.ctx.pkg.get(`x:${fn.text}`), index, '');
    }
    if (fn?.type !== 'selector_expression') return undefined;
    const operand = fn.childForFieldName('operand');
    const method = fn.childForFieldName('field')?.text;
    if (!operand || !method) return undefined;
    // `zip.NewReader(...)`: a function of an imported package.
    const path = this.importPathOf(operand);
    if (path !== undefined) return isStandardImportPath(path) ? resultAt(stdlibLockResults(path, method), index, path) : resultAt(packageLookup(this.ctx, path)?.get(`x:${method}`), index, path);
    const receiver = this.typeOf(operand, depth + 1);
    if (!receiver) return undefined;
    if (isStandardImportPath(receiver.pkg) && receiver.pkg !== '') return resultAt(stdlibLockResults(receiver.pkg, `${receiver.name}.${method}`), index, receiver.pkg);
    return resultAt(packageLookup(this.ctx, receiver.pkg)?.get(`x:${receiver.name}.${method}`), index, receiver.pkg);
  }

  /** The type of `x.field`: x's struct's field (`l:` keys), or one of its embedded structs' (one level). */
  private fieldType(selector: Node, depth: number): TypeRef | undefined {
    const operand = selector.childForFieldName('operand');
    const field = selector.childForFieldName('field')?.text;
    if (!operand || !field || this.importPathOf(operand) !== undefined) return undefined;
    const owner = this.typeOf(operand, depth + 1);
    const lookup = owner && packageLookup(this.ctx, owner.pkg);
    if (!owner || !lookup) return undefined;
    const direct = lookup.get(`l:${owner.name}.${field}`);
    if (direct !== undefined) return typeRefOf(direct, owner.pkg);
    // A field promoted from an embedded struct of the same package; two that have it hide it.
    const shape = parseTypeShape(lookup.get(`t:${owner.name}`));
    let promoted: string | undefined;
    for (const embed of shape?.kind === 'struct' ? shape.embeds : []) {
      const found = embed.includes('.') ? undefined : lookup.get(`l:${embed}.${field}`);
      if (found === undefined) continue;
      if (promoted !== undefined) return undefined;
      promoted = found;
    }
    return typeRefOf(promoted, owner.pkg);
  }

  /** The element type of a slice, array or map the declaration declares with its type (`ps []*T`, `make([]*T, n)`, `[]*T{...}`). */
  private elementType(collection: Node | null): TypeRef | undefined {
    if (collection?.type !== 'identifier') return undefined;
    const declaration = this.declarationBefore(collection.text, collection);
    let type = declaration?.type ?? null;
    const value = declaration?.index === 0 ? declaration.value : undefined;
    if (!type && value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'make') type = callArguments(value)[0] ?? null;
    if (!type && value?.type === 'composite_literal') type = value.childForFieldName('type');
    if (type?.type === 'slice_type' || type?.type === 'array_type') return this.writtenType(type.childForFieldName('element'));
    if (type?.type === 'map_type') return this.writtenType(type.childForFieldName('value'));
    return undefined;
  }
}

function withPointer(ref: TypeRef | undefined): TypeRef | undefined {
  return ref && !ref.pointer ? { ...ref, pointer: true } : undefined;
}

/** Result `index` of a summary's comma-separated result types, read in package `pkg`. */
function resultAt(results: string | undefined, index: number, pkg: string): TypeRef | undefined {
  if (results === undefined || results === AMBIGUOUS) return undefined;
  return typeRefOf(results.split(',')[index], pkg);
}
