// GR113 deep-embedding: a struct whose chain of embedded types declared in the package is deeper
// than the limit: S embeds A, which embeds B, which embeds C. The chain is followed through the
// package summary (any file of the package), never into other packages.
import type { Node } from 'web-tree-sitter';
import type { PackageLookup } from '../engine/packageView';
import { declaredBy } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { embeddedTypeName, packageType } from './packageTypes';
import { links, proverbs } from './proverbs';

/** The catalog's limit: a chain of more embedding levels than this is flagged. */
export const EMBEDDING_DEPTH_LIMIT = 2;

/** The longest chain of package types embedded under `name` (not counting it), following structs only. */
function longestChain(pkg: PackageLookup, name: string, seen: Set<string>): string[] {
  const shape = packageType(pkg, name);
  if (shape?.kind !== 'struct') return [];
  let best: string[] = [];
  for (const embed of shape.embeds) {
    // Qualified types (`sync.Mutex`, `?q.T`) belong to other packages: the chain stops there.
    if (embed.includes('.') || seen.has(embed) || !packageType(pkg, embed)) continue;
    seen.add(embed);
    const chain = [embed, ...longestChain(pkg, embed, seen)];
    seen.delete(embed);
    if (chain.length > best.length) best = chain;
  }
  return best;
}

export const deepEmbedding: Rule = {
  meta: {
    code: 'GR113',
    name: 'deep-embedding',
    phase: 'idioms',
    severity: 'information',
    summary: `A struct's chain of embedded types of its own package is more than ${EMBEDDING_DEPTH_LIMIT} levels deep.`,
    proverb: proverbs.embeddingIsNotInheritance,
    fixable: false,
    example: {
      bad: 'type base struct{ id int }\ntype named struct{ base; name string }\ntype owned struct{ named; owner string }\ntype Document struct{ owned; body string }',
      good: 'type Document struct {\n\tID    int\n\tName  string\n\tOwner string\n\tBody  string\n}',
    },
    docs: `## What it flags
A struct type that embeds a type of its package, which embeds another, and so on, more than ${EMBEDDING_DEPTH_LIMIT} levels deep:
\`Document\` embeds \`owned\`, which embeds \`named\`, which embeds \`base\` (3 levels). The finding is on the struct's
name and spells out the chain. Only the outermost struct of a chain is flagged: \`owned\` above is 2 levels deep.

## Why
Embedding promotes fields and methods, so \`doc.id\` and \`doc.Save()\` may come from any level of the chain; a
reader has to open each type in turn to find out which, and a method added at one level silently shadows one
deeper down. Go's embedding is composition, not inheritance: a chain of embedded types usually rebuilds a class
hierarchy that named fields or a flatter struct would make explicit.

## Bad
\`\`\`go
type base struct{ id int }
type named struct{ base; name string }
type owned struct{ named; owner string }
type Document struct{ owned; body string }
\`\`\`

## Good
\`\`\`go
type Document struct {
	ID    int
	Name  string
	Owner string
	Body  string
}
\`\`\`

## Fix
None: flattening a chain or turning an embedded field into a named one changes which names are promoted.

## Approximations
The chain is followed through the types declared in the package (every file of the struct's folder, from the
workspace index; an unsaved buffer alone knows only its own types). Embedded types of other packages
(\`sync.Mutex\`, \`bytes.Buffer\`) end the chain and are not counted: what they embed is not known without their
source, and embedding one library type is the common, harmless case. Pointers (\`*base\`) and type arguments
(\`list[T]\`) are followed as the type they name; an embedded interface ends the chain.

## Left alone
- Chains of ${EMBEDDING_DEPTH_LIMIT} levels or fewer, counted as above.
- Embedded types of other packages, at any depth.
- Recursive embedding (\`type node struct{ *node }\`) is followed once.
- \`_test.go\` files: tests build chains on purpose to exercise promotion (13 of the standard library's 18 first
  findings, in reflect and encoding/json).
- Generated files, as for every rule.

## Links
- [Effective Go: Embedding](${links.effectiveGo}#embedding)
- [Go Proverbs: Clear is better than clever](${links.goProverbs})
- peer: none in go vet or staticcheck`,
  },
  // Tests build embedding chains on purpose, to exercise promotion (reflect, encoding/json).
  appliesTo: (file) => !file.isTestFile,
  // Each `struct` keyword's type, when it is what a type declaration declares: found by text
  // rather than by a query that walked every node of every declaration.
  anchors: { text: () => ['struct'], nodeTypes: ['struct_type'] },
  visit(struct: Node, ctx) {
    const spec = declaredBy(struct);
    const name = spec?.childForFieldName('name');
    if (!spec || name?.type !== 'type_identifier') return;
    const fields = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
    if (!fields) return;
    const seen = new Set([name.text]);
    let best: string[] = [];
    for (const field of fields.namedChildren) {
      // An embedded field is a field declaration without a name.
      if (field?.type !== 'field_declaration' || field.childForFieldName('name')) continue;
      const embedded = embeddedTypeName(field.childForFieldName('type'), ctx.file.imports);
      if (!embedded || embedded.includes('.') || seen.has(embedded) || !packageType(ctx.pkg, embedded)) continue;
      seen.add(embedded);
      const chain = [embedded, ...longestChain(ctx.pkg, embedded, seen)];
      seen.delete(embedded);
      if (chain.length > best.length) best = chain;
    }
    if (best.length <= EMBEDDING_DEPTH_LIMIT) return;
    const path = [name.text, ...best].join(' → ');
    ctx.report({
      node: name,
      message: `struct ${name.text} embeds a chain ${best.length} levels deep (${path}); promoted fields and methods come from too many places: flatten it or name the embedded fields`,
    });
  },
};
