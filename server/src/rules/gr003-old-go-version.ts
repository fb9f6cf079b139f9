// GR003 old-go-version: a `go` directive older than 1.19. The directive is the language version
// the module is compiled as, and it decides which fixes and behaviours apply (module graph
// pruning from 1.17, the memory model and atomic types of 1.19); releases before 1.19 are long
// out of security support. The fix bumps the directive to 1.19, the rubric's floor.
import { goAtLeast } from '../engine/goVersion';
import type { ModuleRule } from '../setup/setupRule';
import { directivesOf } from '../setup/goModFile';
import { proverbs } from './proverbs';

/** The oldest `go` directive the rubric accepts. */
export const MINIMUM_GO = '1.19';

export const oldGoVersion: ModuleRule = {
  meta: {
    code: 'GR003',
    name: 'old-go-version',
    phase: 'setup',
    severity: 'warning',
    summary: `A go.mod whose \`go\` directive is older than ${MINIMUM_GO}.`,
    proverb: proverbs.goDirective,
    fixable: true,
    example: { bad: 'module example.com/shop\n\ngo 1.16', good: `module example.com/shop\n\ngo ${MINIMUM_GO}` },
    docs: `## What it flags
The version of a go.mod's \`go\` directive when it is older than Go ${MINIMUM_GO} (\`go 1.13\`, \`go 1.16\`, \`go 1.18\`).

## Why
The \`go\` directive is not a comment: it is the language version the module's packages are compiled as. It
decides which language features are allowed and which behaviours apply: module graph pruning and lazy loading
(1.17), generics (1.18), the revised memory model and the \`sync/atomic\` types (1.19), per-iteration loop variables
(1.22). Releases before ${MINIMUM_GO} have been out of security support for years, so a module that says it targets
one either still builds with an unsupported toolchain or claims less than it needs.

## Bad
\`\`\`text
module example.com/shop

go 1.16
\`\`\`

## Good
\`\`\`text
module example.com/shop

go ${MINIMUM_GO}
\`\`\`

## Fix
Replaces the version with ${MINIMUM_GO}. Not applied in bulk: raising the language version can change how code
compiles (it enables newer language features and their vet checks); run the tests after it, and then \`go mod
tidy\` (from 1.17 go.mod lists indirect requirements too).

## Left alone
- A go.mod with no \`go\` directive (the go command then assumes 1.16; \`go mod tidy\` adds one).
- Versions ${MINIMUM_GO} and later, release candidates included.

## Links
- [Go Modules Reference: go directive](https://go.dev/ref/mod#go-mod-file-go)
- [Go release history and support policy](https://go.dev/doc/devel/release)`,
  },
  checkModule(ctx) {
    for (const directive of directivesOf(ctx.mod, 'go')) {
      const version = directive.args[0];
      if (!version || directive.inBlock || !/^\d+\.\d+/.test(version.text) || goAtLeast(version.text, MINIMUM_GO)) continue;
      ctx.report({
        start: version.start,
        end: version.end,
        message: `go ${version.text} is older than Go ${MINIMUM_GO}: the module is compiled as a language version long out of support; raise the go directive to ${MINIMUM_GO} or later`,
        fix: { title: `Raise the go directive to ${MINIMUM_GO}`, edits: [{ start: version.start, end: version.end, newText: MINIMUM_GO }], safe: false },
      });
    }
  },
};
