// GR002 no-go-sum: a go.mod that requires modules with no go.sum beside it. go.sum is how the go
// command checks that every build downloads the same bytes for each version; without it the first
// build on each machine trusts whatever the proxy serves, and `go build` refuses with
// "missing go.sum entry" in module mode since Go 1.16.
import type { ModuleRule } from '../setup/setupRule';
import { directivesOf } from '../setup/goModFile';
import { proverbs } from './proverbs';

export const noGoSum: ModuleRule = {
  meta: {
    code: 'GR002',
    name: 'no-go-sum',
    phase: 'setup',
    severity: 'warning',
    summary: 'A go.mod with require lines but no go.sum beside it: the dependencies are not pinned to checksums.',
    proverb: proverbs.goSumChecksums,
    fixable: false,
    example: {
      bad: 'go.mod      // require github.com/google/uuid v1.6.0\n(no go.sum)',
      good: 'go.mod\ngo.sum      // written by go mod tidy, committed',
    },
    docs: `## What it flags
The first \`require\` of a \`go.mod\` file that requires at least one module when no \`go.sum\` file sits in the same
folder. Shown on the go.mod line in the editor and reported by the command-line checker.

## Why
\`go.sum\` records the expected cryptographic checksum of every module version the build uses. With it, every
machine and every CI run verifies it builds exactly the code that was reviewed; without it the go command stops
with "missing go.sum entry" (module mode, Go 1.16 and later) until someone runs \`go mod tidy\`, and a fresh
checkout trusts whatever it downloads. Run \`go mod tidy\` and commit both files.

## Bad
\`\`\`text
go.mod      // require github.com/google/uuid v1.6.0
(no go.sum)
\`\`\`

## Good
\`\`\`text
go.mod
go.sum      // written by go mod tidy, committed
\`\`\`

## Left alone
- A go.mod without requirements: it has nothing to check sums for.
- An unsaved go.mod buffer, whose folder is unknown.

## Approximations
Only the file's presence is checked, not that it lists every requirement (\`go mod verify\` does that).

## Links
- [Go Modules Reference: go.sum files](https://go.dev/ref/mod#go-sum-files)
- [go mod tidy](https://go.dev/ref/mod#go-mod-tidy)`,
  },
  checkModule(ctx) {
    if (ctx.hasGoSum !== false) return;
    const first = directivesOf(ctx.mod, 'require').find((d) => d.args.length > 0);
    if (!first) return;
    ctx.report({
      start: first.start,
      end: first.end,
      message: 'this module requires other modules but has no go.sum beside its go.mod: builds cannot verify what they download; run `go mod tidy` and commit go.sum',
    });
  },
};
