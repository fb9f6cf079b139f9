// GR116 returns-interface: an exported function returns an interface type declared in its own
// package ("accept interfaces, return structs"). Whether a result type is an interface is read
// from the package summary, so the interface may be declared in any file of the package.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import { AMBIGUOUS } from '../engine/packageSummary';
import { newTypeName, walkDescendants } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { packageType } from './packageTypes';
import { links, proverbs } from './proverbs';

/** A signature's results, one per value (`(a, b T)` gives T twice), and the type name each has, if any. */
function resultTypes(result: Node): { node: Node; name: Node | undefined }[] {
  const out: { node: Node; name: Node | undefined }[] = [];
  const nameOf = (type: Node | null): Node | undefined => {
    if (type?.type === 'type_identifier') return type;
    if (type?.type === 'generic_type') {
      const name = type.childForFieldName('type');
      return name?.type === 'type_identifier' ? name : undefined;
    }
    return undefined;
  };
  if (result.type !== 'parameter_list') return [{ node: result, name: nameOf(result) }];
  for (const declaration of result.namedChildren) {
    if (declaration?.type !== 'parameter_declaration') continue;
    const type = declaration.childForFieldName('type');
    if (!type) continue;
    const names = declaration.childrenForFieldName('name').filter((n) => n !== null).length;
    for (let i = 0; i < Math.max(1, names); i++) out.push({ node: type, name: nameOf(type) });
  }
  return out;
}

/** The type a composite literal or `new` builds (`T{}`, `&T{}`, `T[int]{}`, `new(T)`), as written, or undefined for any other expression. */
function builtType(expression: Node): string | undefined {
  const allocated = newTypeName(expression);
  if (allocated !== undefined) return `*${allocated}`;
  let node = expression;
  if (node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '&') node = node.childForFieldName('operand') ?? node;
  if (node.type !== 'composite_literal') return undefined;
  const type = node.childForFieldName('type');
  const name = type?.type === 'generic_type' ? type.childForFieldName('type') : type;
  if (name?.type !== 'type_identifier') return undefined;
  return `${node === expression ? '' : '*'}${name.text}`;
}

/**
 * The one concrete type every return statement of the function builds for result `index`
 * (`&multiReader{...}`), nil aside; undefined when the returns build several types, or return
 * anything else (a variable, a call): the function then chooses or forwards an implementation.
 */
function onlyBuiltType(fn: Node, index: number, count: number): string | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  let built: string | undefined;
  let other = false;
  walkDescendants(body, (node) => {
    if (other || node.type === 'func_literal') return false;
    if (node.type !== 'return_statement') return true;
    const values = node.namedChildren.find((c) => c?.type === 'expression_list')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
    const value = values.length === count ? values[index] : undefined;
    if (!value) other = true;
    else if (value.type !== 'nil') {
      const type = builtType(value);
      if (!type || (built !== undefined && built !== type)) other = true;
      built = type;
    }
    return false;
  }, RETURNS_SEEN);
  return other ? undefined : built;
}

/** The nodes onlyBuiltType looks at: return statements, and function literals, whose bodies it skips. */
const RETURNS_SEEN = new Set(['return_statement', 'func_literal']);

/** File names that build on some platforms only (`_windows.go`, `_linux_amd64.go`), as the go tool reads them. */
const PLATFORM_FILE = /_(aix|android|darwin|dragonfly|freebsd|illumos|ios|js|linux|netbsd|openbsd|plan9|solaris|windows|unix|wasip1)(_[a-z0-9]+)?\.go$/;

/**
 * Whether the file is built on some platforms or configurations only: a build constraint before
 * the package clause, or a platform file name. Such a file's constructor has a sibling building
 * another type elsewhere, and the interface is what they share.
 */
function isConstrained(file: FileFacts): boolean {
  return file.buildConstrained || (file.path !== undefined && PLATFORM_FILE.test(file.path));
}

/** Functional options (`WithTimeout(d) Option`): an option interface exists to be returned by its constructors. */
const OPTION_INTERFACE = /Opt(ion)?s?$/;

/** Whether the function takes a value of the interface itself: a decorator (`io.LimitReader(r Reader, n) Reader`). */
function takesInterface(fn: Node, name: string): boolean {
  const parameters = fn.childForFieldName('parameters');
  return (parameters?.namedChildren ?? []).some((p) => {
    const type = p?.childForFieldName('type');
    const named = type?.type === 'generic_type' ? type.childForFieldName('type') : type;
    return named?.type === 'type_identifier' && named.text === name;
  });
}

export const returnsInterface: Rule = {
  meta: {
    code: 'GR116',
    name: 'returns-interface',
    phase: 'idioms',
    severity: 'hint',
    summary: 'An exported function returns an interface type declared in its own package instead of a concrete type.',
    proverb: proverbs.interfacesBelongToConsumers,
    fixable: false,
    example: {
      bad: 'type Store interface {\n\tGet(key string) ([]byte, error)\n}\n\nfunc NewStore(dir string) Store {\n\treturn &diskStore{dir: dir}\n}',
      good: 'type DiskStore struct{ dir string }\n\nfunc NewStore(dir string) *DiskStore {\n\treturn &DiskStore{dir: dir}\n}',
    },
    docs: `## What it flags
An exported top-level function with a result whose type is an interface declared in the same package (in any of
its files), when every \`return\` builds the same concrete type for it, with a composite literal or \`new\`:
\`func NewStore(dir string) Store { return &diskStore{dir: dir} }\` (or \`return new(diskStore)\`) where
\`type Store interface { ... }\`. That is a constructor of one implementation hiding
it behind the package's interface. The finding is on the result type and names the concrete type.

## Why
"Accept interfaces, return structs." A function that returns its package's interface decides for every caller
which methods they may use, and any method added to the implementation later stays invisible to them. Returned as a
concrete type, the value still satisfies the interface wherever one is needed, and callers that want to abstract
over it declare the small interface they need, in their own package. Interfaces declared by the producer also tend
to grow (see GR110), since every new feature of the one implementation lands in them.

## Bad
\`\`\`go
type Store interface {
	Get(key string) ([]byte, error)
}

func NewStore(dir string) Store {
	return &diskStore{dir: dir}
}
\`\`\`

## Good
\`\`\`go
type DiskStore struct{ dir string }

func NewStore(dir string) *DiskStore {
	return &DiskStore{dir: dir}
}
\`\`\`

## Fix
None: exporting the concrete type, or choosing which one to return, is a design decision.

## Approximations
A result type is known to be an interface when its name is declared as an interface type in the package: in any
file of the function's folder (the workspace index), or in the buffer itself for an unsaved file. Interfaces of
other packages (\`error\`, \`io.Reader\`) are not this rule's business: returning them is how the standard library
hides its implementations. A local type shadowing the package's name inside the function is not seen.

## Left alone
- Functions that choose or forward an implementation: returns that build different types, or return a variable, a
  call or a package-level value (\`net.Dial\`, \`context.Background\`, \`constant.MakeFromLiteral\`). Returning the
  interface is the point there. \`nil\` returns (error paths) are ignored.
- Interfaces the package itself accepts: when any function or method of the package (in any file) has a parameter
  of the interface (\`Get(ctx, key string, dest Sink)\`, \`Auth(methods []Auth)\`, \`NewTee(cores ...Core)\`), the
  package is the interface's consumer as well, and its constructors make values for its own API: sinks, auth
  methods, matchers, handlers, options. This is the largest group of deliberate uses on real code.
- Decorators, which take a value of the interface and return it wrapped (\`io.LimitReader(r Reader, n int64) Reader\`,
  \`http.TimeoutHandler(h Handler, ...) Handler\`, middleware): the result stands in for the argument.
- Files built for some platforms or configurations only (a \`//go:build\` line, or a name like \`term_windows.go\`): the
  same constructor in a sibling file builds another type, and the interface is what they share.
- Families: when other exported functions of the package return the same interface built from other types (in any
  file: \`NewRandomPartitioner\`, \`NewHashPartitioner\` → \`Partitioner\`; \`WrapInt32\`, \`WrapFloat64\` → \`Any\`), the
  package offers several implementations, or the cases of a sum type, and their common interface is the point.
  Two constructors of the same type (\`NewStore\`, \`Open\` → \`*diskStore\`) are still one implementation.
- Functional options: an interface named \`...Option\`, \`...Options\` or \`...Opt\` (\`WithTimeout(d) Option\`), whose
  implementations exist to be passed to a variadic \`...Option\` parameter.
- Methods: a method's signature is often fixed by the interface it implements.
- Unexported functions, and interfaces of other packages (\`error\`, \`io.Reader\`, \`context.Context\`).
- \`_test.go\` files and \`package main\`: nothing outside imports them.
- Generated files, as for every rule.

## Severity
A hint, as the rubric lists it. On real code about 8 in 10 of its findings are constructors of one hidden
implementation (docs/precision/GR116.md); most of the rest are packages whose interface exists to be swapped for a
fake (\`clock.New\`, \`clockwork.NewRealClock\`) and DSL values, which the package's declarations do not show.

## Links
- [Go Code Review Comments: Interfaces](${links.reviewComments}#interfaces)
- [Effective Go: Generality](${links.effectiveGo}#generality)
- peer: ireturn in golangci-lint (uses types; flags every interface result, with an allow list)`,
  },
  // Test files and commands export nothing anyone imports.
  appliesTo: (file) => !file.isTestFile && file.packageName !== 'main' && !isConstrained(file),
  // The declaration itself, found from its first word: a query would search every function body
  // for nested declarations there cannot be, on every keystroke in it.
  anchors: { text: () => ['func'], atStart: true, nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    const result = fn.childForFieldName('result');
    const name = fn.childForFieldName('name')?.text;
    if (!result || !name || !/^[A-Z]/.test(name)) return;
    const results = resultTypes(result);
    results.forEach(({ node, name: type }, index) => {
      if (!type || OPTION_INTERFACE.test(type.text) || takesInterface(fn, type.text)) return;
      // The syntax first: most functions return what they build under its own name (`Options{}`
      // as Options), or choose among values; only the rest cost a look at the package.
      const built = onlyBuiltType(fn, index, results.length);
      if (built === undefined || built.replace(/^\*/, '') === type.text) return;
      if (packageType(ctx.pkg, type.text)?.kind !== 'interface') return;
      // The package takes its own interface somewhere (a Get(dest Sink), a Dial(opts ...Option)):
      // it is the interface's consumer too, and its constructors make values for that API.
      if (ctx.pkg.get(`u:${type.text}`) !== undefined) return;
      // Other exported functions of the package return it built from other types
      // (NewRandomPartitioner, NewHashPartitioner -> Partitioner; WrapInt32, WrapFloat64 -> Any): a
      // family of implementations, or the cases of a sum type, whose common face is the point.
      if (ctx.pkg.get(`r:${type.text}`) === AMBIGUOUS) return;
      ctx.report({
        node,
        message: `exported function ${name} returns ${type.text}, an interface of this package, but every return builds ${built}; return that type and let callers declare the interfaces they need`,
      });
    });
  },
};
