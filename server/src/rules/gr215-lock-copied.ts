// GR215 lock-copied: a value receiver or a by-value parameter of a struct type of the package that
// holds a sync.Mutex (RWMutex, WaitGroup, Once, Cond, Map, Pool) by value, directly or through
// another struct of the package. Every call works on a copy: the copy's lock protects nothing.
import type { Node } from 'web-tree-sitter';
import { PREDECLARED_TYPES } from '../engine/packageSummary';
import type { PackageLookup } from '../engine/packageView';
import type { Rule } from '../engine/types';
import { parametersOf } from './contextSyntax';
import { namedTypeName } from './declarations';
import { proverbs } from './proverbs';

/** How deep the package's structs are followed (a struct holding a struct holding a mutex...). */
const MAX_DEPTH = 5;

/** Whether the package's type `name` holds a lock by value, directly or through its own struct fields. */
function holdsLock(pkg: PackageLookup, name: string, seen = new Set<string>()): boolean {
  if (seen.has(name) || seen.size > MAX_DEPTH) return false;
  seen.add(name);
  const held = pkg.get(`k:${name}`);
  if (held === undefined || held === '?') return false;
  return held.split(',').some((part) => part === '!' || holdsLock(pkg, part, seen));
}

/**
 * The package type a receiver or parameter names by value (`T`, `T[int]`), or undefined (pointers,
 * qualified and composite types, and predeclared ones, which no lookup needs to be made for).
 */
function valueTypeName(type: Node | null): string | undefined {
  const name = namedTypeName(type);
  return name === undefined || PREDECLARED_TYPES.has(name) ? undefined : name;
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
A method with a value receiver, or a function or method with a by-value parameter, whose type is a struct of the
package holding a \`sync.Mutex\`, \`RWMutex\`, \`WaitGroup\`, \`Once\`, \`Cond\`, \`Map\` or \`Pool\` by value: as a field, as
an embedded type, or through another struct of the package that does (any file of the package, from the workspace
index). The finding is on the receiver's or parameter's type.

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
- Pointer receivers and parameters, and types of other packages (their fields are not known without their source;
  \`sync.Mutex\` itself as a parameter type is not a struct of the package).
- Structs holding the lock through a pointer (\`mu *sync.Mutex\`), which copies share.
- Generated files, as for every rule.

## Approximations
go vet's copylocks also checks assignments, composite literals, range variables and return values, and follows
types of other packages; this rule checks receivers and parameters, the copies a declaration shows, through the
package's own types. Arrays of locks are not followed.

## Links
- [sync.Mutex](https://pkg.go.dev/sync#Mutex) ("A Mutex must not be copied after first use.")
- peer: go vet copylocks (also shown by gopls; see the goRubric.deferToGopls setting)`,
  },
  // Every function and method declaration: their receivers and parameters are read from the signature.
  anchors: { text: () => ['func'], atStart: true, nodeTypes: ['function_declaration', 'method_declaration'] },
  visit(fn: Node, ctx) {
    const receiver = fn.type === 'method_declaration' ? fn.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration') : undefined;
    const receiverType = receiver?.childForFieldName('type') ?? null;
    const receiverName = valueTypeName(receiverType);
    if (receiverType && receiverName && holdsLock(ctx.pkg, receiverName)) {
      const name = fn.childForFieldName('name')?.text ?? 'the method';
      ctx.report({
        node: receiverType,
        message: `${name} has a value receiver of ${receiverName}, which holds a lock: every call works on a copy, and the copy's lock protects nothing; use a pointer receiver (*${receiverName})`,
        fix: { title: `Use a pointer receiver (*${receiverName})`, edits: [{ start: receiverType.startIndex, end: receiverType.startIndex, newText: '*' }], safe: false },
      });
    }
    for (const param of parametersOf(fn)) {
      const typeName = valueTypeName(param.type);
      if (!param.type || !typeName || !holdsLock(ctx.pkg, typeName)) continue;
      ctx.report({
        node: param.type,
        message: `${param.name?.text ?? 'a parameter'} is passed by value as ${typeName}, which holds a lock: the callee gets a copy whose lock protects nothing; pass *${typeName}`,
      });
    }
  },
};
