// Questions about the package's types, answered from the package summary (RuleContext.pkg): what a
// named type is, which methods an interface has once its embedded interfaces are followed, which
// types a struct embeds. Every lookup goes through ctx.pkg, so the engine records it and checks
// the declaration again when the answer changes (another declaration or file was edited).
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { PREDECLARED_TYPES, parseTypeShape, splitQualified, type TypeShape } from '../engine/packageSummary';
import type { PackageLookup } from '../engine/packageView';
import { stdlibTypeMethods } from '../engine/stdlib';

/** A type declared at the package's top level, by name, in this file or another of the package. */
export function packageType(pkg: PackageLookup, name: string): TypeShape | undefined {
  if (PREDECLARED_TYPES.has(name)) return undefined;
  return parseTypeShape(pkg.get(`t:${name}`));
}

/**
 * Whether the package declares the error interface's method, \`Error() string\`, on the type of this
 * name (on \`T\` or \`*T\`: the summary's \`e:\` entry), so that it is one of the package's error types.
 */
export function hasErrorMethod(pkg: PackageLookup, name: string): boolean {
  return pkg.get(`e:${name}`) !== undefined;
}

/** Whether a value of the type, not only a pointer to it, is an error: \`Error() string\` has a value receiver. */
export function valueHasErrorMethod(pkg: PackageLookup, name: string): boolean {
  return pkg.get(`e:${name}`) === '';
}

/**
 * The summary form of a type written in an embedding position: `Name`, `path.Name` (the qualifier
 * resolved through the file's imports) or `?q.Name`; pointers and type arguments dropped.
 */
export function embeddedTypeName(type: Node | null, imports: ImportTable): string | undefined {
  if (!type) return undefined;
  if (type.type === 'type_identifier') return type.text;
  if (type.type === 'pointer_type' || type.type === 'parenthesized_type') return embeddedTypeName(type.namedChildren[0] ?? null, imports);
  if (type.type === 'generic_type') return embeddedTypeName(type.childForFieldName('type'), imports);
  if (type.type === 'qualified_type') {
    const qualifier = type.childForFieldName('package')?.text ?? '';
    const name = type.childForFieldName('name')?.text ?? '';
    const path = imports.pathOf(qualifier);
    return path === undefined ? `?${qualifier}.${name}` : `${path}.${name}`;
  }
  return undefined;
}

/** Predeclared interfaces and their methods. */
const PREDECLARED: Record<string, readonly string[]> = { error: ['Error'], any: [], comparable: [] };

export interface MethodSet {
  /** Every method name, own and promoted from embedded interfaces. */
  methods: Set<string>;
  /** Embedded interfaces whose methods are not known (another module's, or not found). */
  unknown: string[];
}

/**
 * The methods of an interface with these own methods and embedded types, following embedded
 * interfaces of the package (through ctx.pkg) and of the standard library (through its table).
 */
export function interfaceMethodSet(pkg: PackageLookup, own: readonly string[], embeds: readonly string[], seen = new Set<string>()): MethodSet {
  const set: MethodSet = { methods: new Set(own), unknown: [] };
  for (const embed of embeds) {
    const { path, name } = splitQualified(embed);
    if (path !== undefined) {
      const methods = stdlibTypeMethods(path, name);
      if (methods) methods.forEach((m) => set.methods.add(m));
      else set.unknown.push(embed);
      continue;
    }
    if (embed.startsWith('?')) {
      set.unknown.push(embed.slice(1));
      continue;
    }
    if (seen.has(embed)) continue;
    seen.add(embed);
    const shape = packageType(pkg, embed);
    if (shape?.kind === 'interface') {
      const inner = interfaceMethodSet(pkg, shape.methods, shape.embeds, seen);
      inner.methods.forEach((m) => set.methods.add(m));
      set.unknown.push(...inner.unknown);
    } else if (!shape && PREDECLARED[embed]) {
      PREDECLARED[embed]!.forEach((m) => set.methods.add(m));
    } else if (!shape) {
      set.unknown.push(embed);
    }
  }
  return set;
}
