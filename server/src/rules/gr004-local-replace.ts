// GR004 local-replace: a `replace` whose target is a folder (`=> ../fork`). The go command uses
// that folder instead of a published version, which only works on a machine with the folder at
// that place: fine while developing two modules together, wrong in a module others build.
import type { ModuleRule } from '../setup/setupRule';
import { directivesOf, localReplacement } from '../setup/goModFile';
import { proverbs } from './proverbs';

export const localReplace: ModuleRule = {
  meta: {
    code: 'GR004',
    name: 'local-replace',
    phase: 'setup',
    severity: 'information',
    summary: 'A replace directive in go.mod that points at a local folder, which only exists on this machine.',
    proverb: proverbs.localReplace,
    fixable: false,
    example: {
      bad: 'replace example.com/billing => ../billing',
      good: '// go.work, not committed:\nuse (\n\t.\n\t../billing\n)',
    },
    docs: `## What it flags
A \`replace\` in a go.mod (alone or in a \`replace ( ... )\` block) whose target is a file system path: one starting
with \`./\` or \`../\`, or an absolute path.

## Why
A replacement by a folder makes the build use whatever that folder holds, without a version or a checksum. It works
on the machine that has the folder at that place and nowhere else: a colleague, CI or anyone importing the module
gets a build error, or a different build. Replacements are also ignored in modules that are dependencies, so a
library cannot rely on them anyway. For developing several modules side by side, a \`go.work\` file (kept out of
version control) says the same thing without touching go.mod; when the fork is needed for good, publish it and
replace by module path and version.

## Bad
\`\`\`text
replace example.com/billing => ../billing
\`\`\`

## Good
\`\`\`text
// go.work, not committed:
use (
	.
	../billing
)
\`\`\`

## Left alone
- Replacements by another module path and version (\`=> github.com/me/fork v1.2.3\`).
- go.work files, which are meant for local folders.

## Approximations
Every local replacement is reported: a repository that keeps several modules together and builds them only as one
(a monorepo with \`=> ../shared\`) may want it; silence the rule for that workspace in the settings.

## Links
- [Go Modules Reference: replace directive](https://go.dev/ref/mod#go-mod-file-replace)
- [Tutorial: Getting started with multi-module workspaces](https://go.dev/doc/tutorial/workspaces)`,
  },
  checkModule(ctx) {
    for (const directive of directivesOf(ctx.mod, 'replace')) {
      const target = localReplacement(directive);
      if (!target) continue;
      const module = directive.args[0]?.text ?? 'a module';
      ctx.report({
        start: directive.start,
        end: directive.end,
        message: `${module} is replaced by the local folder ${target.text}: only a machine with that folder can build this module; use a go.work file while developing, or a published version`,
      });
    }
  },
};
