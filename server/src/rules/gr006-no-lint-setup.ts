// GR006 no-lint-setup: a module with neither a golangci-lint configuration nor a Makefile or task
// runner. Both are where a project writes down how it is checked and built, so that a contributor
// and CI run the same linters with the same settings. A workspace fact: it appears in the rubric
// report, not as a squiggle.
import type { WorkspaceRule } from '../setup/setupRule';
import { proverbs } from './proverbs';

/** golangci-lint's configuration files, and those of the linters it runs that are often set up alone. */
export const LINT_CONFIGS = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json', 'staticcheck.conf', 'revive.toml', '.revive.toml'];
/** Task runners, and the build scripts some projects use instead (Go's own make.bash). */
export const TASK_RUNNERS = ['Makefile', 'makefile', 'GNUmakefile', 'Taskfile.yml', 'Taskfile.yaml', 'taskfile.yml', 'taskfile.yaml', 'magefile.go', 'justfile', 'Justfile', '.justfile', 'make.bash', 'build.sh'];

export const noLintSetup: WorkspaceRule = {
  meta: {
    code: 'GR006',
    name: 'no-lint-setup',
    phase: 'setup',
    severity: 'information',
    summary: 'A module with no golangci-lint configuration and no Makefile or task runner (reported in the rubric report).',
    proverb: proverbs.gofmtEveryone,
    fixable: false,
    example: {
      bad: 'go.mod\nmain.go\n(how is this checked? each contributor guesses)',
      good: 'go.mod\n.golangci.yml   # the linters and their settings\nMakefile        # make lint test build',
    },
    docs: `## What it flags
A module whose root folder, and the workspace folder above it, hold neither a golangci-lint configuration
(\`.golangci.yml\`, \`.yaml\`, \`.toml\` or \`.json\`; also \`staticcheck.conf\` or \`revive.toml\`) nor a task runner
(\`Makefile\`, \`GNUmakefile\`, \`Taskfile.yml\`, \`magefile.go\`, \`justfile\`) or build script (\`make.bash\`, \`build.sh\`). This is a fact about the workspace: it appears as an item of the rubric report
(**Go Rubric: Show Rubric Report**, \`go-rubric report\`), not as a squiggle.

## Why
gofmt made one format everyone's; a checked-in lint configuration and a task runner do the same for the rest of the
workflow: every contributor and every CI run uses the same linters, with the same settings, through the same
\`make lint test\`. Without them each person runs whatever they have installed, and problems reach review that a
machine would have caught.

## Bad
\`\`\`text
go.mod
main.go
(how is this checked? each contributor guesses)
\`\`\`

## Good
\`\`\`text
go.mod
.golangci.yml   # the linters and their settings
Makefile        # make lint test build
\`\`\`

## Left alone
- A module with either one of them: a Makefile that runs \`go vet\` is a lint set-up too.

## Approximations
Only the files' presence is checked, not what they run; CI configuration (\`.github/workflows\`) is listed in the
report's facts but does not count, since it does not give contributors a command to run.

## Links
- [golangci-lint configuration](https://golangci-lint.run/usage/configuration/)
- [Go Proverbs](https://go-proverbs.github.io)`,
  },
  checkWorkspace(layout) {
    const has = (names: ReadonlySet<string>, wanted: readonly string[]) => wanted.some((n) => names.has(n));
    return layout.modules.flatMap((module) => {
      const found = (wanted: readonly string[]) => has(module.files, wanted) || has(layout.rootFiles, wanted);
      if (found(LINT_CONFIGS) || found(TASK_RUNNERS)) return [];
      return [
        {
          path: module.dir,
          message: `${module.path ?? 'this module'} has no golangci-lint configuration and no Makefile or task runner: write down how the project is linted and built, so that contributors and CI run the same checks`,
        },
      ];
    });
  },
};
