// GR001 no-go-mod: a Go file with no go.mod in its folder or any folder above. Without one the go
// command builds in GOPATH mode (or refuses, since Go 1.16 made modules the default): no
// versioned requirements, no reproducible build, and no `go` directive to say which language
// version the code is written for. Shown on the package clause, where a file says what it is.
import type { Rule } from '../engine/types';
import { proverbs } from './proverbs';

export const noGoMod: Rule = {
  meta: {
    code: 'GR001',
    name: 'no-go-mod',
    phase: 'setup',
    severity: 'warning',
    summary: 'A Go file with no go.mod in its folder or any folder above it: it belongs to no module.',
    proverb: proverbs.moduleIsTheUnit,
    fixable: false,
    example: {
      bad: 'project/\n  main.go      // package main, no go.mod anywhere above',
      good: 'project/\n  go.mod       // module example.com/project\n  main.go',
    },
    docs: `## What it flags
The \`package\` clause of a \`.go\` file saved on disk when neither its folder nor any folder above it holds a
\`go.mod\` file.

## Why
Since Go 1.16 the go command works in module mode by default: a file outside any module cannot be built with
\`go build\` from its folder (or builds in the old GOPATH mode when GO111MODULE=off), its dependencies are
whatever happens to be on the machine, and nothing records which Go version it is written for. A \`go.mod\` makes
the build reproducible and is what every other project-setup item (go.sum, the \`go\` directive) hangs on. Create
one with \`go mod init <module path>\` at the root of the project.

## Bad
\`\`\`text
project/
  main.go      // package main, no go.mod anywhere above
\`\`\`

## Good
\`\`\`text
project/
  go.mod       // module example.com/project
  main.go
\`\`\`

## Left alone
- Unsaved (untitled) editors: they have no folder yet.
- Generated files, as for every rule.

## Approximations
Only the folders are read: a \`go.work\` file does not make a folder without a \`go.mod\` a module, and neither does
it here. Code kept in GOPATH on purpose (GO111MODULE=off) is flagged too: turn the rule off for such a workspace.
The editor learns about a go.mod created or deleted outside it through file events.

## Links
- [Go Modules Reference](https://go.dev/ref/mod)
- [Tutorial: Create a Go module](https://go.dev/doc/tutorial/create-module)`,
  },
  // No appliesTo: every Go file is something this rule looks at (the rubric report shows it met when
  // every file has a go.mod), and the package clause is one cheap visit per file.
  anchors: { text: () => ['package'], atStart: true, nodeTypes: ['package_clause'] },
  visit(clause, ctx) {
    if (!ctx.file.noGoMod) return;
    ctx.report({
      node: clause,
      message: 'no go.mod in this folder or any folder above it: the file belongs to no module, so its build is not reproducible and no Go version is recorded; run `go mod init <module path>` at the project root',
    });
  },
};
