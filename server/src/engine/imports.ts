// Resolves package names through a file's imports, including aliases, dot and blank imports,
// so that `stdctx.Background()` is known to be context.Background and `fmt.Errorf` is the
// standard fmt only when "fmt" is what the file imported under that name.
import type { Node } from 'web-tree-sitter';
import { detached } from './detach';

export interface ImportSpec {
  path: string;
  /** The name the file uses: the alias, or the package's default name. "." and "_" as written. */
  localName: string;
  /** True when the import spec wrote an explicit name. */
  aliased: boolean;
}

export class ImportTable {
  private readonly byLocalName = new Map<string, ImportSpec>();
  readonly specs: readonly ImportSpec[];

  constructor(specs: ImportSpec[]) {
    this.specs = specs;
    for (const spec of specs) {
      if (spec.localName === '.' || spec.localName === '_') continue;
      // Two imports under one default name: a file cannot have that, so one package's clause names it
      // otherwise (`.../go-grpc-middleware/testing` is package grpc_testing). A standard-library
      // package's name is known exactly: it keeps the name.
      const seen = this.byLocalName.get(spec.localName);
      if (seen && !seen.aliased && !spec.aliased && isStandardPath(seen.path) && !isStandardPath(spec.path)) continue;
      this.byLocalName.set(spec.localName, spec);
    }
  }

  /** The import path a qualifier refers to (`stdctx` -> "context"), or undefined. */
  pathOf(localName: string): string | undefined {
    return this.byLocalName.get(localName)?.path;
  }

  /** The qualifier under which the file can refer to a path, or undefined when not imported by name. */
  localNameOf(path: string): string | undefined {
    for (const spec of this.specs) {
      if (spec.path === path && spec.localName !== '_' && spec.localName !== '.') return spec.localName;
    }
    return undefined;
  }

  /** Every name under which the file refers to a path (usually one; none when it is not imported by name). */
  localNamesOf(path: string): string[] {
    return this.specs.filter((s) => s.path === path && s.localName !== '_' && s.localName !== '.').map((s) => s.localName);
  }

  /** Whether the path is imported with a dot, making its names usable unqualified. */
  isDotImported(path: string): boolean {
    return this.specs.some((s) => s.path === path && s.localName === '.');
  }

  has(path: string): boolean {
    return this.specs.some((s) => s.path === path);
  }

  private keyValue: string | undefined;

  /** A fingerprint of the imports; findings that depend on imports are reused only while it holds. */
  get key(): string {
    // Asked on every keystroke (the cache's context key): the specs never change, so neither does it.
    return (this.keyValue ??= this.specs.map((s) => `${s.localName}=${s.path}`).join(';'));
  }
}

/** A standard-library import path: its first element has no dot (`net/http`, not `example.com/x`). */
function isStandardPath(path: string): boolean {
  return !path.split('/')[0]!.includes('.');
}

/** Whether an import path is the standard library's (its first element has no dot, as the go command decides). */
export function isStandardImportPath(path: string): boolean {
  const slash = path.indexOf('/');
  return !(slash < 0 ? path : path.slice(0, slash)).includes('.');
}

/**
 * The name a package is referred to by default. Exact for the standard library; for other
 * paths it follows the Go convention (last element, a trailing /vN major version and gopkg.in
 * ".vN" suffixes dropped, "go-" prefix and "-go" suffix dropped).
 */
export function defaultPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  last = last.replace(/\.v\d+$/, '');
  last = last.replace(/^go-/, '').replace(/-go$/, '').replace(/[.-]/g, '_');
  return last;
}

/** Unquotes a Go interpreted or raw string literal node's text (escapes beyond \" are left as is). */
export function stringLiteralValue(node: Node): string | undefined {
  const text = node.text;
  if (node.type === 'raw_string_literal') return text.slice(1, -1);
  if (node.type !== 'interpreted_string_literal') return undefined;
  return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** The imports of a file, from its root or from its top-level nodes when the caller has them. */
export function readImports(root: Node, topLevel: readonly (Node | null)[] = root.children): ImportTable {
  const specs: ImportSpec[] = [];
  for (const decl of topLevel) {
    if (!decl || decl.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const pathNode = spec.childForFieldName('path');
      const path = pathNode ? stringLiteralValue(pathNode) : undefined;
      if (path === undefined) continue;
      const nameNode = spec.childForFieldName('name');
      // The file facts outlive this version of the text: detached from it (see detach.ts).
      specs.push({
        path: detached(path),
        localName: detached(nameNode ? nameNode.text : defaultPackageName(path)),
        aliased: nameNode !== null,
      });
    }
  }
  return new ImportTable(specs);
}
