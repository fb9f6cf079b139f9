// What every rule may know about the file as a whole, computed once per analysis.
import type { Node, Tree } from 'web-tree-sitter';
import { readImports, type ImportTable } from './imports';

export interface FileFacts {
  readonly text: string;
  /** File system path when known (CLI, file: URIs); undefined for unsaved buffers. */
  readonly path: string | undefined;
  readonly root: Node;
  /** The root's children (declarations, comments and terminators), read from the tree once. */
  readonly topLevel: readonly Node[];
  readonly packageName: string | undefined;
  readonly imports: ImportTable;
  readonly isTestFile: boolean;
  /** The `go` directive of the module's go.mod ("1.21"), when known: version gates read it. */
  readonly goVersion: string | undefined;
  /** The file is on disk and no folder above it holds a go.mod (GR001); false when unknown. */
  readonly noGoMod: boolean;
  /** Files that say `// Code generated ... DO NOT EDIT.` get no diagnostics. */
  readonly isGenerated: boolean;
  /** A build constraint (`//go:build`, `// +build`) before the package clause: the file is built on some platforms or configurations only. */
  readonly buildConstrained: boolean;
}

/**
 * The one implementation of FileFacts: computed from the tree (computeFileFacts), or carried over
 * from an earlier analysis of the same file (everything but the text and the tree) for an
 * analysis that reads only the edited declarations, where the root's children are read only if a
 * rule asks for them.
 *
 * One class for every analysis path: rules read file facts on every visit, and objects of several
 * shapes (a literal here, a spread there) made their property reads polymorphic and threw away
 * optimized code whenever a keystroke took another path than the one before.
 *
 * A class, not an object literal with a `get topLevel()`: each such literal's getter is a new
 * function, which gives each object a hidden class of its own, and V8 keeps a new hidden class
 * (reachable from its parent's transitions, weak references that only full collections clear)
 * through every young-generation collection. The getter's closure then held the keystroke's text
 * and tree: every keystroke's text of the file survived young collections and was promoted,
 * which made those pauses cost 5-15 ms on the keystroke's path.
 */
export class CarriedFileFacts implements FileFacts {
  readonly path: string | undefined;
  readonly packageName: string | undefined;
  readonly imports: ImportTable;
  readonly isTestFile: boolean;
  readonly goVersion: string | undefined;
  readonly noGoMod: boolean;
  readonly buildConstrained: boolean;

  constructor(
    facts: Pick<FileFacts, 'path' | 'packageName' | 'imports' | 'isTestFile' | 'goVersion' | 'noGoMod' | 'buildConstrained'>,
    readonly text: string,
    readonly root: Node,
    /** The root's children (or the part of them an analysis looks at), when already read. */
    private children: readonly Node[] | undefined = undefined,
    readonly isGenerated = false,
  ) {
    this.path = facts.path;
    this.packageName = facts.packageName;
    this.imports = facts.imports;
    this.isTestFile = facts.isTestFile;
    this.goVersion = facts.goVersion;
    this.noGoMod = facts.noGoMod;
    this.buildConstrained = facts.buildConstrained;
  }

  get topLevel(): readonly Node[] {
    this.children ??= this.root.children.filter((c): c is Node => c !== null);
    return this.children;
  }
}

// The convention recognised by go/ast.IsGenerated and gopls.
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** A build constraint line, new style or old, as the go tool reads them before the package clause. */
const BUILD_CONSTRAINT = /^\/\/(go:build |\s*\+build )/m;

/** Whether the text before a file's package clause marks the file as generated. */
export function isGeneratedHeader(header: string): boolean {
  return GENERATED.test(header.replace(/\r\n/g, '\n'));
}

export function computeFileFacts(text: string, tree: Tree, path: string | undefined, goVersion?: string, noGoMod = false): FileFacts {
  const root = tree.rootNode;
  // Every child is a wasm-to-JS round trip: read them once for the facts, the imports and the engine.
  const topLevel = root.children.filter((c): c is Node => c !== null);
  let packageName: string | undefined;
  let packageClauseStart = text.length;
  for (const child of topLevel) {
    if (child.type === 'package_clause') {
      packageName = child.namedChildren.find((c) => c?.type === 'package_identifier')?.text;
      packageClauseStart = child.startIndex;
      break;
    }
  }
  // go/ast only looks at comments before the package clause.
  const header = text.slice(0, packageClauseStart);
  const isTestFile = path !== undefined && path.endsWith('_test.go');
  const facts = { path, packageName, imports: readImports(root, topLevel), isTestFile, goVersion, noGoMod, buildConstrained: BUILD_CONSTRAINT.test(header) };
  return new CarriedFileFacts(facts, text, root, topLevel, isGeneratedHeader(header));
}

/**
 * Packages that exist to support tests (httptest, acmetest, awstesting, testutil, testhelpers): their
 * code runs inside tests, where a panic fails the test like t.Fatal does and a server listens for
 * the test's own client.
 */
const TEST_SUPPORT_PACKAGE = /(test|testing|testutils?|testhelpers?|testenv)$/;

export function isTestSupportPackage(packageName: string): boolean {
  return TEST_SUPPORT_PACKAGE.test(packageName);
}

/** Files of a command's own packages (cmd/compile/internal/ssa): the program's code, not a library. */
const COMMAND_TREE = /(^|[\\/])cmd[\\/]/;

/** Whether the file lies under a `cmd/` folder, where a command keeps its own packages. */
export function inCommandTree(file: Pick<FileFacts, 'path'>): boolean {
  return file.path !== undefined && COMMAND_TREE.test(file.path);
}
