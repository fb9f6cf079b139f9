// GR005 main-outside-cmd: a module with two or more commands (`package main` folders) that are not
// under cmd/. The layout Go's own documentation recommends puts each command in cmd/<name>, so
// the module root and the other folders are the packages others import; commands scattered
// among them make the module hard to read and `go install ./...` install surprising binaries.
// A workspace fact: it appears in the rubric report, not as a squiggle.
import type { WorkspaceRule } from '../setup/setupRule';
import { proverbs } from './proverbs';

/** Folders that hold commands by convention: cmd/..., and examples, which are not the module's commands. */
const CONVENTIONAL = /(?:^|\/)(?:cmd|examples?|_examples?)(?:\/|$)/;

export const mainOutsideCmd: WorkspaceRule = {
  meta: {
    code: 'GR005',
    name: 'main-outside-cmd',
    phase: 'setup',
    severity: 'information',
    summary: 'A module with two or more package main folders outside cmd/ (reported in the rubric report).',
    proverb: proverbs.moduleLayout,
    fixable: false,
    example: {
      bad: 'server/main.go     // package main\nmigrate/main.go    // package main\nstore/store.go',
      good: 'cmd/server/main.go\ncmd/migrate/main.go\nstore/store.go',
    },
    docs: `## What it flags
A module (a folder with a go.mod and the folders below it down to the next go.mod) in which two or more folders hold
a \`package main\` and are not under a \`cmd/\` folder. This is a fact about the workspace: it appears as an item of
the rubric report (**Go Rubric: Show Rubric Report**, \`go-rubric report\`), not as a squiggle.

## Why
A module with one command often keeps it at the root; once there are several, Go's guide to organizing a module puts
each in its own \`cmd/<name>\` folder. A reader then sees at once which folders are programs and which are packages
to import, \`go install example.com/project/cmd/...\` installs exactly the commands, and the package folders stay
free of \`main\` functions.

## Bad
\`\`\`text
server/main.go     // package main
migrate/main.go    // package main
store/store.go
\`\`\`

## Good
\`\`\`text
cmd/server/main.go
cmd/migrate/main.go
store/store.go
\`\`\`

## Left alone
- One command anywhere, the module root included.
- Commands under any \`cmd/\` folder, and examples (\`example/\`, \`examples/\`); a module whose path ends in
  \`cmd\` (Go's own \`cmd\` module) has all its commands under cmd/.
- Files excluded from every build (\`//go:build ignore\`, the convention for \`go run gen.go\` generators), test
  files, and the folders the go command skips (\`testdata\`, \`vendor\`, hidden and \`_\` folders).

## Approximations
A folder is a command when one of its non-test files says \`package main\` in its first 8 KiB; build tags other
than \`ignore\` are not evaluated.

## Links
- [Organizing a Go module](https://go.dev/doc/modules/layout)`,
  },
  checkWorkspace(layout) {
    return layout.modules.flatMap((module) => {
      // A module that is itself the cmd folder (Go's own `cmd` module, example.com/tools/cmd).
      if (module.path === 'cmd' || module.path?.endsWith('/cmd')) return [];
      const scattered = module.mainPackages.filter((dir) => !CONVENTIONAL.test(dir));
      if (scattered.length < 2) return [];
      const shown = scattered.slice(0, 5).map((dir) => (dir === '' ? '(module root)' : `${dir}/`));
      const more = scattered.length > shown.length ? ` and ${scattered.length - shown.length} more` : '';
      return [
        {
          path: module.dir,
          message: `${module.path ?? 'this module'} has ${scattered.length} commands outside cmd/ (${shown.join(', ')}${more}): move each to cmd/<name> so the other folders are the packages others import`,
        },
      ];
    });
  },
};
