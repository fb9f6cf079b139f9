// GR110 interface-too-large: an interface with more methods than the limit, counting the methods
// its embedded interfaces bring (those of the package, found in the package index, and those of
// the standard library, found in its signature table).
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { declaredBy } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { embeddedTypeName, interfaceMethodSet } from './packageTypes';
import { links, proverbs } from './proverbs';

/** The catalog's default limit: more methods than this is flagged. */
export const INTERFACE_METHOD_LIMIT = 5;

export const interfaceTooLarge: Rule = {
  meta: {
    code: 'GR110',
    name: 'interface-too-large',
    phase: 'idioms',
    severity: 'information',
    summary: `An interface has more than ${INTERFACE_METHOD_LIMIT} methods, counting those of the interfaces it embeds.`,
    proverb: proverbs.biggerInterface,
    fixable: false,
    example: {
      bad: 'type Store interface {\n\tGet(key string) ([]byte, error)\n\tPut(key string, v []byte) error\n\tDelete(key string) error\n\tList(prefix string) ([]string, error)\n\tWatch(key string) <-chan Event\n\tClose() error\n}',
      good: 'type Getter interface {\n\tGet(key string) ([]byte, error)\n}\n\n// Callers that only read take a Getter; the concrete *Store has every method.',
    },
    docs: `## What it flags
An interface type with more than ${INTERFACE_METHOD_LIMIT} methods: a named one, and an interface literal written
anywhere else (a parameter's or result's type, a variable's, a struct field's). Methods promoted from embedded
interfaces count: \`type ReadSeekStore interface { io.ReadSeekCloser; Get(); Put(); Delete() }\` has six. The
finding is on the interface's name (a literal's on its \`interface\` keyword) and says how many methods it has and
how many come from embedded interfaces. The elements of an embedded interface literal (\`interface{ Close() error }\`
on a line of its own) count as the interface's own, unless that literal is over the limit by itself: then it is
the one reported, and not again in every interface around it.

## Why
Every method of an interface is a method every implementation must write and every test double must fake. A
large interface is satisfied by few types, so it abstracts over little; small interfaces (\`io.Reader\`,
\`fmt.Stringer\`) are satisfied by many and compose by embedding. Declaring the interface where it is used, with
only the methods that caller needs, keeps it small.

## Bad
\`\`\`go
type Store interface {
	Get(key string) ([]byte, error)
	Put(key string, v []byte) error
	Delete(key string) error
	List(prefix string) ([]string, error)
	Watch(key string) <-chan Event
	Close() error
}
\`\`\`

## Good
\`\`\`go
// In the package that only reads:
type Getter interface {
	Get(key string) ([]byte, error)
}
\`\`\`

## Fix
None: which methods belong together is a design decision.

## Approximations
Without a type checker the methods of embedded interfaces are known when the embedded interface is declared in
the same package (any file of its folder: the workspace index; in an unsaved buffer, the buffer itself), or in the
standard library (from the generated signature table). An embedded interface from another module adds no methods
to the count, so such an interface may be flagged later than it should, never earlier; a method declared twice
(once directly, once through an embedded interface) counts once. The limit is the rubric's default, ${INTERFACE_METHOD_LIMIT}; it is
not configurable yet.

## Left alone
- Interfaces with ${INTERFACE_METHOD_LIMIT} methods or fewer, counted as above.
- Type constraints' type sets (\`~int | ~float64\`): they are not methods.
- \`_test.go\` files: a test's interfaces describe the fakes it needs (6 of the standard library's 45 first findings).
- Generated files, as for every rule.

## Links
- [Go Proverbs: The bigger the interface, the weaker the abstraction](${links.goProverbs})
- [Go Code Review Comments: Interfaces](${links.reviewComments}#interfaces)
- [Effective Go: Interfaces](${links.effectiveGo}#interfaces)
- peer: interfacebloat in golangci-lint (default limit 10; counts only the methods written in the interface, and
  checks literals too)`,
  },
  // A test's interfaces describe what it needs from its fakes (testing.TB's whole surface, say).
  appliesTo: (file) => !file.isTestFile,
  // Each `interface` keyword's type, when it is what a type declaration declares: found by text
  // rather than by a query that walked every node of every declaration.
  anchors: { text: () => ['interface'], nodeTypes: ['interface_type'] },
  visit(body: Node, ctx) {
    const spec = declaredBy(body);
    // `interface{}`, the commonest by far, has nothing to count.
    if (!spec && body.namedChildCount === 0) return;
    const name = spec?.childForFieldName('name');
    // An interface literal embedded in another is counted there, unless it is over the limit
    // on its own: then it is reported itself (readElements leaves it out of the outer count).
    if (!spec && isEmbeddedLiteral(body) && ownElementCount(body) <= INTERFACE_METHOD_LIMIT) return;
    if (spec && name?.type !== 'type_identifier') return;
    const own: string[] = [];
    const embeds: string[] = [];
    readElements(body, ctx.file.imports, own, embeds);
    if (own.length === 0 && embeds.length === 0) return;
    // The interface's own methods alone over the limit need no lookup.
    const self = name ? new Set([name.text]) : new Set<string>();
    const set = own.length > INTERFACE_METHOD_LIMIT && embeds.length === 0 ? { methods: new Set(own), unknown: [] } : interfaceMethodSet(ctx.pkg, own, embeds, self);
    const count = set.methods.size;
    if (count <= INTERFACE_METHOD_LIMIT) return;
    const promoted = count - new Set(own).size;
    const detail = promoted > 0 ? ` (${promoted} through embedded interfaces)` : '';
    const advice = 'split it into smaller interfaces that each caller can ask for';
    if (name) {
      ctx.report({ node: name, message: `interface ${name.text} has ${count} methods${detail}, more than ${INTERFACE_METHOD_LIMIT}; ${advice}` });
      return;
    }
    // A literal is reported on its keyword, where it starts.
    ctx.report({ node: body.child(0) ?? body, message: `this interface literal has ${count} methods${detail}, more than ${INTERFACE_METHOD_LIMIT}; name it, or ${advice}` });
  },
};

/** Whether an interface type is written as an element of another interface (embedded there). */
function isEmbeddedLiteral(body: Node): boolean {
  const element = body.parent;
  return element?.type === 'type_elem' && element.namedChildCount === 1 && element.parent?.type === 'interface_type';
}

/** The methods an interface literal writes itself, counting those of the literals embedded in it. */
function ownElementCount(body: Node): number {
  let count = 0;
  for (const element of body.namedChildren) {
    if (element?.type === 'method_elem') count++;
    else if (element?.type === 'type_elem' && element.namedChildCount === 1 && element.namedChild(0)?.type === 'interface_type') count += ownElementCount(element.namedChild(0)!);
  }
  return count;
}

/**
 * The methods an interface body declares (`own`) and the names of the interfaces it embeds. An
 * embedded interface literal (`interface{ Close() error }` on a line of its own) adds its elements.
 */
function readElements(body: Node, imports: ImportTable, own: string[], embeds: string[]): void {
  for (const element of body.namedChildren) {
    if (element?.type === 'method_elem') {
      const method = element.childForFieldName('name')?.text;
      if (method) own.push(method);
    } else if (element?.type === 'type_elem' && element.namedChildCount === 1) {
      // A lone type in an interface embeds it; a union (`~int | string`) is a type set.
      const type = element.namedChild(0);
      if (type?.type === 'interface_type') {
        // One over the limit on its own is reported itself, not again in every interface around it.
        if (ownElementCount(type) <= INTERFACE_METHOD_LIMIT) readElements(type, imports, own, embeds);
        continue;
      }
      const embedded = embeddedTypeName(type, imports);
      if (embedded) embeds.push(embedded);
    }
  }
}
