// GR215 lock-copied: a value receiver or a by-value parameter of a struct type of the package that
// holds a sync.Mutex (RWMutex, WaitGroup, Once, Cond, Map, Pool) by value, directly or through
// another struct of the package. Every call works on a copy: the copy's lock protects nothing.
// Also the copies go vet's copylocks reports that the declaration shows: assertions, dereferences,
// fields and local variables copied by value, with their types found by expressionTypes.ts.
import type { Node } from 'web-tree-sitter';
import { AMBIGUOUS, PREDECLARED_TYPES } from '../engine/packageSummary';
import { libraryKey, type PackageLookup } from '../engine/packageView';
import { defaultPackageName, isStandardImportPath, type ImportTable } from '../engine/imports';
import { stdlibHoldsLock } from '../engine/stdlib';
import { walkDescendants } from '../engine/syntax';
import { isWordCharAt } from '../text/words';
import type { Rule, RuleContext } from '../engine/types';
import { parametersOf, type Parameter } from './contextSyntax';
import { bindingFor, namedTypeName } from './declarations';
import { ExpressionTypes, packageLookup, typeRefOf, type TypeRef } from './expressionTypes';
import { proverbs } from './proverbs';

/** How deep the package's structs are followed (a struct holding a struct holding a mutex...). */
const MAX_DEPTH = 5;

/** How many of the package's types one question reads at most (each is read once). */
const MAX_TYPES = 64;

/** Whether the package's type `name` holds a lock by value, directly or through its own struct fields. */
function holdsLock(pkg: PackageLookup, name: string, seen = new Set<string>(), depth = 0): boolean {
  if (seen.has(name) || depth > MAX_DEPTH || seen.size >= MAX_TYPES) return false;
  seen.add(name);
  const held = pkg.get(`k:${name}`);
  if (held !== undefined && held !== '?' && held.split(',').some((part) => part === '!' || holdsLock(pkg, part, seen, depth + 1))) return true;
  // A type whose pointer has Lock() and Unlock() is a lock (a sync.Locker through its pointer); asked
  // only in a package that declares a method named Lock at all.
  return pkg.get('n:Lock') !== undefined && pkg.get(`p:${name}.Lock`) === '' && pkg.get(`p:${name}.Unlock`) === '';
}

/**
 * The package type a receiver or parameter names by value (`T`, `T[int]`), or undefined (pointers,
 * qualified and composite types, and predeclared ones, which no lookup needs to be made for).
 */
function valueTypeName(type: Node | null): string | undefined {
  const name = namedTypeName(type);
  return name === undefined || PREDECLARED_TYPES.has(name) ? undefined : name;
}

/** The sync types that must not be copied (go vet's copylocks), looked for by their text in function literals and `x := sync.Mutex{}`. */
const SYNC_LOCKS = new Set(['Mutex', 'RWMutex', 'WaitGroup', 'Once', 'Cond', 'Map', 'Pool']);

/** Whether a standard type holds a lock; those of sync and sync/atomic are locks themselves ("must not be copied"). */
function standardLock(path: string | undefined, name: string): { direct: boolean } | undefined {
  if (path === undefined || !isStandardImportPath(path) || !stdlibHoldsLock(path, name)) return undefined;
  return { direct: path === 'sync' || path === 'sync/atomic' };
}

/** A standard type holding a lock written as the type itself (`sync.Mutex`, `atomic.Int64`, `zip.Reader`), through the file's imports. */
function stdLockType(type: Node | null, imports: ImportTable): { direct: boolean } | undefined {
  if (type?.type !== 'qualified_type') return undefined;
  const pkg = type.childForFieldName('package')?.text;
  const name = type.childForFieldName('name')?.text;
  return pkg && name ? standardLock(imports.pathOf(pkg), name) : undefined;
}

/** Whether a named type holds a lock by value: the package's own, the standard library's, or another package's of the workspace. */
function refHoldsLock(ref: TypeRef, ctx: RuleContext): boolean {
  if (ref.pointer || PREDECLARED_TYPES.has(ref.name)) return false;
  if (ref.pkg !== '' && isStandardImportPath(ref.pkg)) return stdlibHoldsLock(ref.pkg, ref.name);
  const lookup = packageLookup(ctx, ref.pkg);
  return lookup !== undefined && holdsLock(lookup, ref.name);
}

/** How a finding says what a type is: sync's and sync/atomic's types are locks themselves. */
function lockWording(ref: TypeRef): string {
  return ref.pkg === 'sync' || ref.pkg === 'sync/atomic' ? 'which must not be copied' : 'which holds a lock';
}

/** A type as the file would write it: `T`, `zip.Reader` (through the file's name for the import). */
function shownType(ref: TypeRef, ctx: RuleContext): string {
  return ref.pkg === '' ? ref.name : `${ctx.file.imports.localNameOf(ref.pkg) ?? defaultPackageName(ref.pkg)}.${ref.name}`;
}

/** What a by-value receiver or parameter type holds: a standard lock, a package type holding one, or another package's. */
function copiedLock(type: Node | null, ctx: RuleContext): { shown: string; pointer: string; direct: boolean } | undefined {
  if (!type) return undefined;
  const std = stdLockType(type, ctx.file.imports);
  if (std) return { shown: type.text, pointer: `*${type.text}`, direct: std.direct };
  if (type.type === 'qualified_type') {
    // A type of another package of the workspace (`desc.Field`): its summary says what it holds.
    const path = ctx.file.imports.pathOf(type.childForFieldName('package')?.text ?? '');
    const name = type.childForFieldName('name')?.text;
    const held = path !== undefined && name !== undefined && !isStandardImportPath(path) && refHoldsLock({ pkg: path, name, pointer: false }, ctx);
    return held ? { shown: type.text, pointer: `*${type.text}`, direct: false } : undefined;
  }
  const name = valueTypeName(type);
  return name && holdsLock(ctx.pkg, name) ? { shown: name, pointer: `*${name}`, direct: false } : undefined;
}

/** A parameter's finding. */
function reportParameter(param: Parameter, ctx: RuleContext): void {
  if (param.variadic) return;
  const lock = copiedLock(param.type, ctx);
  if (!lock || !param.type) return;
  const what = lock.direct ? `${lock.shown}, which must not be copied` : `${lock.shown}, which holds a lock`;
  ctx.report({
    node: param.type,
    message: `${param.name?.text ?? 'a parameter'} is passed by value as ${what}: the callee gets a copy whose lock protects nothing; pass ${lock.pointer}`,
  });
}

/** Function literals with a parameter of a sync type in a declaration's text (`func(mu sync.Mutex)`), found by text first. */
function literalsWithSyncParameter(text: string, syncNames: readonly string[]): boolean {
  if (syncNames.length === 0) return false;
  const key = syncNames.join(' ');
  if (literalPattern?.key !== key) {
    const names = syncNames.map((n) => n.replace(/[^\w]/g, '')).join('|');
    literalPattern = { key, pattern: new RegExp(`func\\s*\\([^)]*\\b(?:${names})\\.(?:${[...SYNC_LOCKS].join('|')})\\b`) };
  }
  // Most declarations never mention a sync type by value: a plain search first.
  return syncNames.some((n) => text.includes(`${n}.`)) && literalPattern.pattern.test(text);
}

/** The pattern for the file's names of "sync" (one file's declarations are checked in a row). */
let literalPattern: { key: string; pattern: RegExp } | undefined;

const FUNC_LITERALS = new Set(['func_literal']);

/** The type of an assertion, from after `.(`: a name (`T`, `T[int]`), or a qualified one (`sync.Mutex`: [1] and [2]). */
const ASSERTED_TYPE = /^\s*([A-Za-z_]\w*)(?:\s*\.\s*([A-Za-z_]\w*))?\s*[)[]/;

/**
 * The offsets of `*` that may start a dereference that copies: before a name, after `=`, `:=`, `(`,
 * `,`, `:` or `{` (a literal's element) or `return`, or first on a line (`*dst = *src`). A plain scan: most functions have pointer
 * types and multiplications, few such dereferences.
 */
function dereferenceStars(text: string): number[] {
  const stars: number[] = [];
  for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (!((next >= 97 && next <= 122) || (next >= 65 && next <= 90) || next === 95)) continue;
    let i = at - 1;
    while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
    const before = i < 0 ? 10 : text.charCodeAt(i);
    if (before === 61 || before === 40 || before === 44 || before === 58 || before === 123 || before === 10 || (before === 110 && text.endsWith('return', i + 1) && !isWordCharAt(text, i - 6))) stars.push(at);
  }
  return stars;
}

/**
 * Whether an expression's value is copied where it stands: assigned (either side of `=`, or `:=`),
 * passed to a call, or returned.
 */
function isCopied(expression: Node): boolean {
  const parent = expression.parent;
  if (parent?.type === 'argument_list') return true;
  // A composite literal's element (`{t, *tp}`, `{L: *x}`): the value is copied into the literal.
  if (parent?.type === 'literal_element') return parent.parent?.type !== 'keyed_element' || parent.parent.namedChildren[1]?.id === parent.id;
  if (parent?.type !== 'expression_list') return false;
  const statement = parent.parent;
  return statement?.type === 'assignment_statement' || statement?.type === 'short_var_declaration' || statement?.type === 'return_statement' || statement?.type === 'var_spec';
}

/**
 * The one binding of `name` in a declaration (a parameter, `var`, `:=`, `=`), with its written type
 * or its value; none when bound more than once. Found from the name's occurrences in the text (a
 * few), not by walking the declaration's nodes (thousands in a long function).
 */
function onlyBinding(decl: Node, text: string, name: string): { type: Node | null; value: Node | null } | undefined {
  let found: { type: Node | null; value: Node | null } | undefined;
  let count = 0;
  for (let at = text.indexOf(name); at >= 0 && count < 2; at = text.indexOf(name, at + name.length)) {
    if (isWordCharAt(text, at - 1) || isWordCharAt(text, at + name.length)) continue;
    const id = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
    if (id?.type !== 'identifier' || id.text !== name) continue;
    const parent = id.parent;
    if (parent?.type === 'parameter_declaration' && parent.childrenForFieldName('name').some((c) => c?.id === id.id)) {
      count++;
      found = { type: parent.childForFieldName('type'), value: null };
      continue;
    }
    const spec = parent?.type === 'var_spec' ? parent : parent?.type === 'expression_list' ? parent.parent : null;
    const binding = spec && BINDINGS.has(spec.type) ? bindingFor(spec, name) : undefined;
    if (!spec || binding?.target.id !== id.id) continue;
    count++;
    found = { type: spec.type === 'var_spec' ? spec.childForFieldName('type') : null, value: binding.value ?? null };
  }
  return count === 1 ? found : undefined;
}

const BINDINGS = new Set(['var_spec', 'short_var_declaration', 'range_clause', 'receive_statement', 'assignment_statement']);

/** A lock type written in a declaration, by value: a sync lock, a package type holding one, or an array of either. */
function lockTypeOf(type: Node | null, ctx: RuleContext): { shown: string; direct: boolean } | undefined {
  if (type?.type === 'struct_type') {
    // `struct{ lock sync.Mutex }` written in place: a lock if a field holds one by value.
    const fields = type.namedChildren.find((c) => c?.type === 'field_declaration_list')?.namedChildren ?? [];
    const holds = fields.some((f) => f?.type === 'field_declaration' && lockTypeOf(f.childForFieldName('type'), ctx) !== undefined);
    return holds ? { shown: 'struct', direct: false } : undefined;
  }
  if (type?.type === 'array_type') {
    const element = lockTypeOf(type.childForFieldName('element'), ctx);
    return element && { shown: element.shown, direct: element.direct };
  }
  const lock = copiedLock(type, ctx);
  return lock && { shown: lock.shown, direct: lock.direct };
}

/** Builtins that read a value's type or size without copying it, unless the function declares the name itself. */
const NON_COPYING_CALLS = new Set(['len', 'cap', 'Sizeof', 'Alignof', 'Offsetof']);

/**
 * Local variables the declaration gives a lock type by value, declared once (`var mu sync.Mutex`,
 * `var t T` with T holding a lock, `var a [5]sync.Mutex`, `w := sync.Mutex{}`), and the places
 * their value is copied: assigned to another variable, assigned into (from anything but a composite
 * literal or a call), passed, returned, or put in a composite literal.
 */
function checkLockVariables(decl: Node, text: string, ctx: RuleContext): void {
  const locks = new Map<string, { shown: string; direct: boolean; declaration: Node }>();
  const collections = new Set<string>();
  for (let at = text.indexOf('var '); at >= 0; at = text.indexOf('var ', at + 4)) {
    if (isWordCharAt(text, at - 1)) continue;
    // The written type, read from the text: most `var`s are of types that hold no lock, and are
    // passed over before the tree is touched.
    const spec = VAR_SPEC.exec(text.slice(at, at + 200));
    if (!spec || !mayHoldLock(spec[2]!, ctx)) continue;
    if (/^\s*(?:\[|map\[|chan\b|<-)/.test(spec[2]!)) for (const name of spec[1]!.split(',')) collections.add(name.trim());
    const keyword = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + 3);
    const declaration = keyword?.parent;
    if (declaration?.type !== 'var_declaration') continue;
    for (const spec of declaration.namedChildren) {
      if (spec?.type !== 'var_spec' || spec.childForFieldName('value')) continue;
      const lock = lockTypeOf(spec.childForFieldName('type'), ctx);
      if (lock) for (const name of spec.childrenForFieldName('name')) if (name) locks.set(name.text, { ...lock, declaration: spec });
    }
  }
  for (const m of literalBindings(text, ctx)) {
    const id = decl.descendantForIndex(decl.startIndex + m.index!, decl.startIndex + m.index! + m[1]!.length);
    const statement = id?.parent?.parent;
    const value = statement?.type === 'short_var_declaration' ? statement.childForFieldName('right')?.namedChildren[0] : undefined;
    const lock = value?.type === 'composite_literal' ? lockTypeOf(value.childForFieldName('type'), ctx) : undefined;
    if (lock && statement) locks.set(m[1]!, { ...lock, declaration: statement });
  }
  if (collections.size > 0) checkRanges(decl, text, collections, ctx);
  for (const [name, lock] of locks) {
    if (declarationCount(decl, text, name) !== 1) continue;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      if (isWordCharAt(text, at - 1) || isWordCharAt(text, at + name.length) || text[at - 1] === '.') continue;
      const id = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
      if (id?.type !== 'identifier' || id.startIndex < lock.declaration.endIndex || !copiesVariable(id, decl, text, ctx)) continue;
      ctx.report({
        node: id,
        message: `${name} is copied here: a ${lock.shown} value, ${lock.direct ? 'which must not be copied' : 'which holds a lock'}; the copy's lock is a different lock (and copying a held one copies it held); use a pointer (&${name})`,
      });
    }
  }
}

/**
 * Range variables that copy locks: `for _, m := range s` over a slice, array or map of locks,
 * `for k := range m` over a map keyed by them, `for v := range c` over a channel of them, where the
 * collection is a variable the declaration declares once with its type written (`var s []sync.Mutex`).
 */
function checkRanges(decl: Node, text: string, collections: ReadonlySet<string>, ctx: RuleContext): void {
  for (let at = text.indexOf('range '); at >= 0; at = text.indexOf('range ', at + 6)) {
    if (isWordCharAt(text, at - 1)) continue;
    const over = /^range\s+([A-Za-z_]\w*)/.exec(text.slice(at, at + 80));
    if (!over || !collections.has(over[1]!)) continue;
    const clause = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + 5)?.parent;
    const right = clause?.type === 'range_clause' ? clause.childForFieldName('right') : undefined;
    const left = clause?.childForFieldName('left')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    if (!right || right.type !== 'identifier' || left.length === 0 || declarationCount(decl, text, right.text) !== 1) continue;
    const binding = onlyBinding(decl, text, right.text);
    const type = binding?.type;
    if (!type) continue;
    const copies: (Node | null | undefined)[] = [];
    if (type.type === 'slice_type' || type.type === 'array_type') {
      if (lockTypeOf(type.childForFieldName('element'), ctx)) copies.push(left[1]);
    } else if (type.type === 'map_type') {
      if (lockTypeOf(type.childForFieldName('key'), ctx)) copies.push(left[0]);
      if (lockTypeOf(type.childForFieldName('value'), ctx)) copies.push(left[1]);
    } else if (type.type === 'channel_type') {
      if (lockTypeOf(type.childForFieldName('value'), ctx)) copies.push(left[0]);
    }
    for (const variable of copies) {
      if (!variable || variable.text === '_') continue;
      ctx.report({
        node: variable,
        message: `the range variable ${variable.text} is a copy of each element of ${right.text}, which holds a lock: the copy's lock protects nothing; range over the indexes and use &${right.text}[i], or keep pointers`,
      });
    }
  }
}

/** `var a, b T`: the names and the written type (up to `=`, a line break or `;`). */
const VAR_SPEC = /^var\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+([^=\n;]+)/;

const TYPE_WORDS = new Set(['map', 'chan', 'struct', 'func', 'interface']);

/**
 * Whether a written type (`sync.Mutex`, `[5]T`, `[]sync.Mutex`, `map[string]T`, `struct{ mu sync.Mutex }`)
 * names a sync lock or a package type holding one anywhere in it: the cheap test before the tree
 * reads the type exactly.
 */
function mayHoldLock(type: string, ctx: RuleContext): boolean {
  const written = type.replace(/\/\/.*$/, '');
  if (written.trimStart().startsWith('*')) return false;
  for (const name of written.match(/[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)?/g) ?? []) {
    const dot = name.indexOf('.');
    if (dot >= 0) {
      if (standardLock(ctx.file.imports.pathOf(name.slice(0, dot).trim()), name.slice(dot + 1).trim())) return true;
    } else if (!TYPE_WORDS.has(name) && !PREDECLARED_TYPES.has(name) && holdsLock(ctx.pkg, name)) return true;
  }
  return false;
}

/**
 * `name := sync.Mutex{...}` (any sync lock, through the file's names for "sync"): a lock variable made
 * from a composite literal. (A package type's literal is rarely copied afterwards; \`var t T\` is read.)
 */
function literalBindings(text: string, ctx: RuleContext): RegExpMatchArray[] {
  const names = ctx.file.imports.localNamesOf('sync');
  if (names.length === 0 || !names.some((n) => text.includes(`${n}.`))) return [];
  const key = names.join(' ');
  if (bindingPattern?.key !== key) bindingPattern = { key, pattern: new RegExp(`\\b([A-Za-z_]\\w*)\\s*:=\\s*(?:${names.join('|')})\\.(?:${[...SYNC_LOCKS].join('|')})\\{`, 'g') };
  return [...text.matchAll(bindingPattern.pattern)];
}

let bindingPattern: { key: string; pattern: RegExp } | undefined;

/**
 * How many times the declaration declares `name` before `before` (a parameter, a var or const, a
 * `:=`, a range or select case's `:=`; assignments aside), counted up to `limit`. Found from the
 * name's occurrences in the text, not by walking the declaration's nodes.
 */
function declarationCount(decl: Node, text: string, name: string, before = Number.POSITIVE_INFINITY, limit = 2): number {
  let count = 0;
  for (let at = text.indexOf(name); at >= 0 && count < limit && decl.startIndex + at < before; at = text.indexOf(name, at + name.length)) {
    if (isWordCharAt(text, at - 1) || isWordCharAt(text, at + name.length)) continue;
    const id = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + name.length);
    const parent = id?.type === 'identifier' ? id.parent : undefined;
    if (!parent) continue;
    if (parent.type === 'parameter_declaration' || parent.type === 'var_spec' || parent.type === 'const_spec') count++;
    else if (parent.type === 'expression_list' && parent.parent?.childForFieldName('left')?.id === parent.id && ['short_var_declaration', 'range_clause', 'receive_statement'].includes(parent.parent.type)) {
      if (parent.parent.type !== 'range_clause' || parent.parent.children.some((c) => c?.type === ':=')) count++;
    }
  }
  return count;
}

/** Whether a call copies its argument `arg`: any call but `len`, `cap` and unsafe's Sizeof, Alignof, Offsetof. */
function copyingCall(args: Node, arg: Node, decl: Node, text: string, ctx: RuleContext): boolean {
  const callee = args.parent?.childForFieldName('function');
  const written = callee?.text.replace(/\s+/g, '') ?? '';
  const dot = written.indexOf('.');
  // `unsafe.Sizeof(mu)` through any name for "unsafe", `len(a)`, `cap(a)`: read the type, copy
  // nothing; unless the function declared that name itself before the call (`len := func(...)`).
  const qualifier = dot < 0 ? undefined : written.slice(0, dot);
  const name = dot < 0 ? written : written.slice(dot + 1);
  const builtin = qualifier === undefined ? NON_COPYING_CALLS.has(name) : ctx.file.imports.pathOf(qualifier) === 'unsafe' && NON_COPYING_CALLS.has(name);
  return !builtin || declarationCount(decl, text, qualifier ?? name, arg.startIndex, 1) > 0;
}

/** Whether this use of a lock variable copies its value (see checkLockVariables). */
function copiesVariable(id: Node, decl: Node, text: string, ctx: RuleContext): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'argument_list') return copyingCall(parent, id, decl, text, ctx);
  if (parent.type === 'expression_list') return copiesInto(id) ?? isCopied(id);
  return parent.type === 'literal_element' && isCopied(id);
}

/**
 * For a target of an assignment (`x = v`, `*p = v`): whether it is given a copy of another value,
 * not a fresh one (a composite literal, a call's result or `*f()`: go vet allows those, zero values
 * or values nobody else holds). Undefined when the expression is not an assignment's target.
 */
function copiesInto(target: Node): boolean | undefined {
  const targets = target.parent;
  const statement = targets?.type === 'expression_list' ? targets.parent : undefined;
  if (statement?.type !== 'assignment_statement' || statement.childForFieldName('left')?.id !== targets!.id) return undefined;
  const index = targets!.namedChildren.filter((c) => c?.type !== 'comment').findIndex((t) => t?.id === target.id);
  const value = statement.childForFieldName('right')?.namedChildren.filter((c) => c?.type !== 'comment')[index];
  if (!value || value.type === 'composite_literal' || value.type === 'call_expression') return false;
  return !(value.type === 'unary_expression' && value.childForFieldName('operand')?.type === 'call_expression');
}

/**
 * Copies of lock values written in the declaration (go vet's copylocks reports these too): a type
 * assertion to a lock-holding value type (`m, ok := v.(Mock)`), and a dereference of a pointer to one
 * (`*dst = *src`, `f(*p)`, `return *p`) that is assigned, passed or returned.
 */
function checkCopies(decl: Node, text: string, ctx: RuleContext): void {
  // Found by their text (`.(` of an assertion, `*` before a name), not by walking every node of
  // every function: most declarations have neither copy.
  for (let at = text.indexOf('.('); at >= 0; at = text.indexOf('.(', at + 2)) {
    // `.(T)` or `.(q.T)` by value: the name is read from the text and looked up before the tree is
    // touched (`.(*T)`, `.(type)` and most assertions end there).
    const asserted = ASSERTED_TYPE.exec(text.slice(at + 2, at + 66));
    if (!asserted || asserted[1] === 'type' || PREDECLARED_TYPES.has(asserted[1]!) || !(asserted[2] === undefined ? holdsLock(ctx.pkg, asserted[1]!) : mayHoldLockQualified(asserted[1]!, asserted[2], ctx))) continue;
    // The smallest node holding both `.` and `(` is the assertion (inside a string or a comment, not).
    const n = decl.descendantForIndex(decl.startIndex + at, decl.startIndex + at + 2);
    if (n?.type !== 'type_assertion_expression') continue;
    const type = n.childForFieldName('type');
    const lock = copiedLock(type, ctx);
    if (!lock || !type || !isCopied(n)) continue;
    // `_, ok := v.(T)` only asks.
    const target = n.parent?.type === 'expression_list' && n.parent.parent?.type === 'short_var_declaration' ? n.parent.parent.childForFieldName('left')?.namedChildren[0] : undefined;
    if (target?.text === '_') continue;
    ctx.report({ node: n, message: `the type assertion copies a ${lock.shown} value, ${lock.direct ? 'which must not be copied' : 'which holds a lock'}: the copy's lock protects nothing; assert to ${lock.pointer}` });
  }
  let types: ExpressionTypes | undefined;
  for (const star of dereferenceStars(text)) {
    const n = decl.descendantForIndex(decl.startIndex + star, decl.startIndex + star + 1)?.parent;
    if (n?.type !== 'unary_expression' || n.childForFieldName('operator')?.text !== '*') continue;
    const operand = n.childForFieldName('operand');
    if ((operand?.type !== 'identifier' && operand?.type !== 'selector_expression') || !isCopied(n) || copiesInto(n) === false) continue;
    types ??= new ExpressionTypes(decl, ctx);
    const pointer = types.typeOf(operand);
    const pointee = pointer?.pointer ? { ...pointer, pointer: false } : undefined;
    if (!pointee || !refHoldsLock(pointee, ctx)) continue;
    ctx.report({ node: n, message: `${n.text} copies a ${shownType(pointee, ctx)} value, ${lockWording(pointee)}: the copy's lock protects nothing (and copying a held lock copies it held); copy the fields that need copying, or keep a pointer` });
  }
  checkFieldCopies(decl, text, ctx, types);
}

/** Whether `q.T` may hold a lock before the tree is read: a standard type that does, or another package's type. */
function mayHoldLockQualified(qualifier: string, name: string, ctx: RuleContext): boolean {
  const path = ctx.file.imports.pathOf(qualifier);
  return path !== undefined && (isStandardImportPath(path) ? stdlibHoldsLock(path, name) : true);
}

/**
 * The offsets of the field names that end an expression (`x.state,`, `x.state)`, `x.state}` or at
 * the end of a line): where a field's value may be passed, assigned, returned or put in a literal.
 * A plain scan (cheaper than a regular expression over every function).
 */
function fieldsAtEnd(text: string, imports: ImportTable): number[] {
  const found: number[] = [];
  const n = text.length;
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    // `time.Second)`, `os.Args,`: a name of another package, not a field (unless the function
    // declares a variable of that name, which is then passed over).
    let before = dot;
    while (isWordCharAt(text, before - 1)) before--;
    if (before < dot && text.charCodeAt(before - 1) !== 46 && imports.pathOf(text.slice(before, dot)) !== undefined) continue;
    let i = dot + 1;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    if (!isWordCharAt(text, i) || (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57)) continue;
    const start = i;
    while (isWordCharAt(text, i)) i++;
    const end = i;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    const c = text.charCodeAt(i);
    if (i >= n || c === 44 || c === 41 || c === 125 || c === 59 || c === 10 || c === 13 || (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42))) found.push(start, end);
    dot = end - 1;
  }
  return found;
}

/**
 * Fields copied by value where they hold a lock: `f(x.state)`, `y := x.state`, `return x.state`,
 * `T{x.state}` (go vet's copylocks reports these too). Most `x.field` are passed over by the field's
 * name: `o:field` in the summary tells the types the package's structs give fields of that name;
 * then x's type is found (ExpressionTypes) and the field's type read from its struct. Fields of
 * another package's struct are followed only where the file's package has a field of that name, and
 * fields of structs declared in test files only from the test file that declares them.
 */
function checkFieldCopies(decl: Node, text: string, ctx: RuleContext, types: ExpressionTypes | undefined): void {
  // A package none of whose types holds a lock (nor another package's type, which may) has no field
  // that does. Asked of the package's files that are not tests (and of this one): a test file then
  // does not make the CLI read the package's other test files, where structs holding locks are rare.
  // Asked first: most packages hold none, and the scan below reads every `.` of the function.
  if (ctx.pkg.get(libraryKey('g:locks')) === undefined) return;
  const found = fieldsAtEnd(text, ctx.file.imports);
  if (found.length === 0) return;
  const candidates = new Map<string, boolean>();
  for (let k = 0; k < found.length; k += 2) {
    const field = text.slice(found[k], found[k + 1]);
    let candidate = candidates.get(field);
    if (candidate === undefined) {
      const held = ctx.pkg.get(libraryKey(`o:${field}`));
      const ref = held === AMBIGUOUS ? undefined : typeRefOf(held, '');
      candidate = held === AMBIGUOUS || (ref !== undefined && refHoldsLock(ref, ctx));
      candidates.set(field, candidate);
    }
    if (!candidate) continue;
    const start = decl.startIndex + found[k]!;
    const selector = decl.descendantForIndex(start, start + field.length)?.parent;
    if (selector?.type !== 'selector_expression' || selector.childForFieldName('field')?.startIndex !== start || !isCopiedValue(selector, decl, text, ctx)) continue;
    types ??= new ExpressionTypes(decl, ctx);
    const type = types.typeOf(selector);
    if (!type || !refHoldsLock(type, ctx)) continue;
    ctx.report({
      node: selector,
      message: `${selector.text} copies a ${shownType(type, ctx)} value, ${lockWording(type)}: the copy's lock protects nothing (and copying a held lock copies it held); use a pointer (&${selector.text})`,
    });
  }
}

/**
 * Whether an expression's value is copied where it stands, as go vet's copylocks counts copies: a
 * call's argument (`len`, `cap` and unsafe's functions aside), the value of an assignment, a `:=`
 * or a var, a returned value, or a composite literal's element.
 */
function isCopiedValue(expression: Node, decl: Node, text: string, ctx: RuleContext): boolean {
  const parent = expression.parent;
  if (parent?.type === 'argument_list') return copyingCall(parent, expression, decl, text, ctx);
  if (parent?.type === 'expression_list') {
    const statement = parent.parent;
    if (statement?.type === 'return_statement') return true;
    if (statement?.type === 'var_spec') return statement.childForFieldName('value')?.id === parent.id;
    return (statement?.type === 'assignment_statement' || statement?.type === 'short_var_declaration') && statement.childForFieldName('right')?.id === parent.id;
  }
  return parent?.type === 'literal_element' && isCopied(expression);
}

export const lockCopied: Rule = {
  meta: {
    code: 'GR215',
    name: 'lock-copied',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A value receiver or parameter copies a struct that holds a sync.Mutex, RWMutex, WaitGroup or Once.',
    proverb: proverbs.syncPrimitives,
    fixable: true,
    goplsAnalyzer: 'copylocks',
    example: {
      bad: 'type Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\nfunc (c Counter) Inc() {\n\tc.mu.Lock() // locks a copy\n\tc.n++\n\tc.mu.Unlock()\n}',
      good: 'type Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\nfunc (c *Counter) Inc() {\n\tc.mu.Lock()\n\tc.n++\n\tc.mu.Unlock()\n}',
    },
    docs: `## What it flags
A method with a value receiver, or a function, method or function literal with a by-value parameter, whose type
is one of \`sync.Mutex\`, \`RWMutex\`, \`WaitGroup\`, \`Once\`, \`Cond\`, \`Map\` or \`Pool\`, another standard type that
holds a lock by value as go vet sees it (\`atomic.Int64\` and sync/atomic's other types, \`zip.Reader\`, \`http.Server\`,
\`testing.T\`...: a table generated from the standard library's source), a type of the package that holds one by
value (as a field, as an embedded type, or through another struct of the package that does; any file of the
package, from the workspace index), or a type of another package of the workspace that does (\`desc.Field\`). A
type of the package defined as a sync type (\`type flag sync.Once\`) counts, as does one whose pointer has \`Lock()\`
and \`Unlock()\` methods (a lock of its own, as go vet sees it). The finding is on the receiver's or parameter's type.

Also, as go vet's copylocks reports them, copies of such values the declaration shows:
- a type assertion to one by value that is assigned, passed or returned (\`m, ok := v.(Mock)\`);
- a dereference \`*p\` or \`*x.field\` assigned (either side; a target only when what it is given is not a composite
  literal or a call's result), passed, returned or put in a composite literal, where the pointer's type is known
  (see below): \`*zr\` with \`zr, err := zip.NewReader(...)\`, \`*fd\` with \`fd := v.(*desc.Field)\`;
- a field passed, assigned, returned or put in a composite literal by value (\`assert.Equal(t, foo.state, bar.state)\`,
  \`saved := s.last\`), where the field's struct is known (see below) and the field holds a lock;
- a local variable declared once with such a type (\`var mu sync.Mutex\`, \`var t T\`, \`var a [5]sync.Mutex\`,
  \`var s struct{ mu sync.Mutex }\`, \`w := sync.Mutex{}\`) whose value is assigned to another variable, assigned
  into from anything but a composite literal or a call, passed (\`len\`, \`cap\` and \`unsafe.Sizeof\` aside),
  returned or put in a composite literal;
- a range variable over a local slice, array, map or channel of them declared with \`var\` (\`for _, m := range mus\`).

The type of a variable is known when the function declares the name once, before the use: a parameter or
receiver, \`var x T\`, or \`x := ...\` from a composite literal, \`&T{...}\`, \`new(T)\`, a type assertion, an element of
a slice or map declared with its type (\`ps []*T\`, \`make([]*T, n)\`), a field of a struct whose type is known
(\`p.svr\`), or a call: of a function or method of the package returning one of its types
(\`foo := NewRequest(...)\`, \`bar, ok := p.svr.request(h)\`), of another package's of the workspace, or of a standard
function returning a lock-holding type (\`zip.NewReader\`, \`sql.Open\`).

## Why
Passing a struct by value copies it, lock included. A method with a value receiver locks its own copy, so two
calls never exclude each other and the data the lock was meant to guard is copied half-updated; a copied
WaitGroup or Once no longer counts or remembers what the original does. The sync types document that they must
not be copied after first use.

## Bad
\`\`\`go
func (c Counter) Inc() {
	c.mu.Lock() // locks a copy
	c.n++
	c.mu.Unlock()
}
\`\`\`

## Good
\`\`\`go
func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}
\`\`\`

## Fix
For a receiver, makes it a pointer (\`c *Counter\`). A quick fix, not applied by fix-all: it changes the method set
(a \`Counter\` value no longer has the method, only \`*Counter\` does), which can break an interface a value was
meant to satisfy; the compiler then says where. Parameters get no fix: their callers must change too.

## Left alone
- Pointer receivers and parameters, variadic parameters (\`...sync.Mutex\`: the copy is made by the caller), and
  types of other packages whose folder is not found (see Approximations).
- Types whose \`Lock\`/\`Unlock\` methods have value receivers: they lock something the copies share.
- Structs holding the lock through a pointer (\`mu *sync.Mutex\`), which copies share, and \`atomic.Value\`, which go
  vet lets be copied.
- Generated files, as for every rule.

## Approximations
go vet's copylocks checks every assignment, composite literal, range variable, call argument and return value,
through the types of every package; this rule checks receivers and parameters, and the copies above, where the
declaration and the package summaries show the type. Not followed: a map element (\`v := m[k]\`), a variable
declared twice (shadowed) or whose value's type the syntax does not show (a call returning another package's
type through a standard function, a conversion, a range variable), a local variable given a lock-holding value by
\`:=\` and copied again, fields of the standard library's structs (\`rc.Reader\`), a field of another package's
struct whose name no struct of the file's own package has, a field of a struct declared in another test file, and
fields promoted through more than one embedded struct. Arrays of locks are not followed, nor type parameters constrained to a lock type
(\`func f[M sync.Mutex](m M)\`). In a function literal only parameters written as a \`sync\` type are checked.

Another package is found by its import path: in the file's module (the nearest go.mod's \`module\` path), or, for a
corpus laid out as a GOPATH, below the nearest enclosing \`src\` folder; vendor folders and the module cache are not
searched. The CLI reads such a folder when a rule first asks about it (a few are kept read); in the editor the
workspace index answers from the folders it has read, and the documents of folders that ask about another package
are checked again when it changes. Build constraints are not read there either: declarations that differ between
files make the answer unknown.

## Links
- [sync.Mutex](https://pkg.go.dev/sync#Mutex) ("A Mutex must not be copied after first use.")
- peer: go vet copylocks (also shown by gopls; see the goRubric.deferToGopls setting)`,
  },
  // Every function and method declaration: their receivers and parameters are read from the signature.
  anchors: { text: () => ['func', 'var'], atStart: true, nodeTypes: ['function_declaration', 'method_declaration', 'var_declaration'] },
  visit(decl: Node, ctx) {
    if (decl.type !== 'var_declaration') {
      const receiver = decl.type === 'method_declaration' ? decl.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration') : undefined;
      const receiverType = receiver?.childForFieldName('type') ?? null;
      const lock = copiedLock(receiverType, ctx);
      if (receiverType && lock) {
        const name = decl.childForFieldName('name')?.text ?? 'the method';
        ctx.report({
          node: receiverType,
          message: `${name} has a value receiver of ${lock.shown}, ${lock.direct ? 'which must not be copied' : 'which holds a lock'}: every call works on a copy, and the copy's lock protects nothing; use a pointer receiver (${lock.pointer})`,
          fix: { title: `Use a pointer receiver (${lock.pointer})`, edits: [{ start: receiverType.startIndex, end: receiverType.startIndex, newText: '*' }], safe: false },
        });
      }
      for (const param of parametersOf(decl)) reportParameter(param, ctx);
    }
    const text = ctx.file.text.slice(decl.startIndex, decl.endIndex);
    checkCopies(decl, text, ctx);
    if (decl.type !== 'var_declaration') checkLockVariables(decl, text, ctx);
    // Function literals, in the body or as a package variable's value: their parameters of a sync type.
    if (!literalsWithSyncParameter(text, ctx.file.imports.localNamesOf('sync'))) return;
    walkDescendants(decl, (literal) => {
      for (const param of parametersOf(literal)) if (stdLockType(param.type, ctx.file.imports)) reportParameter(param, ctx);
    }, FUNC_LITERALS);
  },
};
