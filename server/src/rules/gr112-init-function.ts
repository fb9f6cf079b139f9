// GR112 init-function: an init() that reaches outside the process (files, environment, network,
// other programs), starts goroutines, parses flags or exits. Such work can fail or depend on where
// the program runs, and in init nobody can handle that: it belongs in main or behind a call.
import type { Node } from 'web-tree-sitter';
import type { ImportTable } from '../engine/imports';
import { calleeOf, walkDescendants } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { links, proverbs } from './proverbs';

/**
 * Package-level functions that do more than set up state, by import path, with what they do. The
 * boundary was drawn on real init functions (docs/precision/GR112.md): registering (sql.Register,
 * http.HandleFunc, flag.StringVar, expvar.Publish), assigning, and building tables in loops are
 * setup that cannot fail; the calls below read or change the world outside the process, or end it.
 */
const EFFECTS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries({
    os: group('reads or changes files', ['Open', 'OpenFile', 'Create', 'ReadFile', 'WriteFile', 'ReadDir', 'Stat', 'Lstat', 'Mkdir', 'MkdirAll', 'MkdirTemp', 'CreateTemp', 'Remove', 'RemoveAll', 'Rename', 'Chdir', 'Chmod', 'Readlink', 'Symlink', 'Link', 'Truncate', 'Getwd'],
      // Reading a variable (os.Getenv, LookupEnv) is left alone: debug knobs such as GODEBUG are
      // read in init throughout real code, and a reviewer accepts them (docs/precision/GR112.md).
      'changes the environment', ['Setenv', 'Unsetenv'],
      'asks the system about itself', ['Hostname', 'Executable', 'UserHomeDir', 'UserConfigDir', 'UserCacheDir'],
      'exits the program', ['Exit'],
      'starts a process', ['StartProcess']),
    'io/ioutil': group('reads or changes files', ['ReadFile', 'WriteFile', 'ReadDir', 'TempFile', 'TempDir']),
    'os/exec': group('runs another program', ['Command', 'CommandContext', 'LookPath']),
    'os/user': group('looks up the user', ['Current', 'Lookup', 'LookupId', 'LookupGroup', 'LookupGroupId']),
    'os/signal': group('installs signal handlers', ['Notify', 'Ignore', 'Reset']),
    net: group('uses the network', ['Dial', 'DialTimeout', 'DialTCP', 'DialUDP', 'DialUnix', 'DialIP', 'Listen', 'ListenTCP', 'ListenUDP', 'ListenUnix', 'ListenPacket', 'LookupHost', 'LookupIP', 'LookupAddr', 'LookupCNAME', 'LookupMX', 'LookupSRV', 'LookupTXT', 'Interfaces', 'InterfaceAddrs', 'InterfaceByName']),
    'net/http': group('uses the network', ['Get', 'Head', 'Post', 'PostForm', 'ListenAndServe', 'ListenAndServeTLS', 'Serve', 'ServeTLS']),
    'database/sql': group('opens a database', ['Open', 'OpenDB']),
    flag: group('parses the command line', ['Parse']),
    // Output nobody asked for: every program importing the package prints it at start.
    fmt: group('prints to standard output', ['Print', 'Printf', 'Println']),
    time: group('waits', ['Sleep', 'Tick', 'NewTicker', 'AfterFunc']),
    plugin: group('loads a plugin', ['Open']),
  }),
);

/** A name -> effect map from (effect, names) pairs. */
function group(...pairs: (string | string[])[]): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) for (const name of pairs[i + 1] as string[]) map.set(name, pairs[i] as string);
  return map;
}

/** What a call does beyond setup, resolved through the file's imports, or undefined. */
function callEffect(call: Node, imports: ImportTable): { what: string; callee: string } | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  if (callee.operand) {
    if (callee.operand.type !== 'identifier') return undefined;
    const path = imports.pathOf(callee.operand.text);
    const what = path === undefined ? undefined : EFFECTS.get(path)?.get(callee.name);
    return what ? { what, callee: `${callee.operand.text}.${callee.name}` } : undefined;
  }
  for (const [path, names] of EFFECTS) {
    const what = names.get(callee.name);
    if (what && imports.isDotImported(path)) return { what, callee: callee.name };
  }
  return undefined;
}

/**
 * Whether the body's text can hold an effect: a `go` statement, a call qualified by the name of an
 * imported effect package, or any call when one is dot-imported. Read before the walk: some init
 * functions build large tables node by node, and almost none touch those packages.
 */
function mayHaveEffect(body: string, imports: ImportTable): boolean {
  if (/\bgo\b/.test(body)) return true;
  for (const spec of imports.specs) {
    if (!EFFECTS.has(spec.path) || spec.localName === '_') continue;
    if (spec.localName === '.' || body.includes(`${spec.localName}.`)) return true;
  }
  return false;
}

/** The first statement or call in the body that goes beyond setup, in source order. */
function firstEffect(body: Node, imports: ImportTable): { node: Node; description: string } | undefined {
  let found: { node: Node; description: string } | undefined;
  walkDescendants(body, (n) => {
    if (found) return false;
    // A function literal's body runs when it is called, not when init runs (it is usually a
    // handler being registered); one called on the spot is rare enough to leave alone.
    if (n.type === 'func_literal') return false;
    if (n.type === 'go_statement') found = { node: n, description: 'starts a goroutine' };
    else if (n.type === 'call_expression') {
      const effect = callEffect(n, imports);
      if (effect) found = { node: n, description: `calls ${effect.callee}, which ${effect.what}` };
    }
    return found === undefined;
  }, EFFECTS_SEEN);
  return found;
}

/** The nodes firstEffect looks at: calls, go statements, and function literals, whose bodies it skips. */
const EFFECTS_SEEN = new Set(['call_expression', 'go_statement', 'func_literal']);

export const initFunction: Rule = {
  meta: {
    code: 'GR112',
    name: 'init-function',
    phase: 'idioms',
    severity: 'information',
    summary: 'An init function does work that can fail or depends on the machine (files, network, other programs, goroutines, flag parsing, exiting).',
    proverb: proverbs.initIsForSetup,
    fixable: false,
    example: {
      bad: 'func init() {\n\tdata, err := os.ReadFile("config.json")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\tconfig = parse(data)\n}',
      good: 'func main() {\n\tconfig, err := loadConfig("config.json")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\trun(config)\n}',
    },
    docs: `## What it flags
An \`init()\` function that goes beyond setting up state: one that reads or writes files, changes the environment
(\`os.Setenv\`) or asks the system about itself (\`os.Hostname\`, \`user.Current\`), uses the network or a database, runs another program, installs
signal handlers, sleeps or starts timers, starts a goroutine, parses the command line (\`flag.Parse\`), prints to
standard output (\`fmt.Println\`: every program importing the package would print it at start) or exits
(\`os.Exit\`). The finding is on the function's name (\`init\`), and names the first such statement (its line, and a
related place pointing at it) and what it does.

## Why
Every \`init\` runs before \`main\`, in an order the reader cannot see, whenever the package is imported: by the
program, by its tests, by tools. Nothing can handle what goes wrong there: there is no caller to return an error
to, so failures become crashes or silent defaults. Work that depends on the machine (a file, a variable, the
network) makes importing the package depend on it too, and makes tests slow or flaky. \`flag.Parse\` in an init
runs before the test binary has defined its own flags.

## Bad
\`\`\`go
var config Config

func init() {
	data, err := os.ReadFile("config.json")
	if err != nil {
		log.Fatal(err)
	}
	config = parse(data)
}
\`\`\`

## Good
\`\`\`go
func main() {
	config, err := loadConfig("config.json")
	if err != nil {
		log.Fatal(err)
	}
	run(config)
}
\`\`\`

## Fix
None: where the work should go (main, a constructor, a \`sync.Once\`) is a design decision.

## Approximations
Only calls of the standard-library functions listed in the rule are recognised, through the file's imports
(aliases and dot imports included). Methods (\`f.Read\`), functions of the package itself and third-party
libraries are not followed, so an init that reads a file through a helper is not seen.

## Left alone
- Registering and assigning: \`sql.Register\`, \`http.HandleFunc\`, \`flag.StringVar\`, \`expvar.Publish\`,
  \`gob.Register\`, \`prometheus.MustRegister\`, and any other call not listed above.
- Reading environment variables (\`os.Getenv\`, \`os.LookupEnv\`): in the sample read, nearly always a debug
  knob (\`GODEBUG\`, \`DEBUG\`, a verbosity level) that a reviewer accepts in init.
- Test files: nobody imports them, so their init runs only in their own test binary.
- Loops and conditions that build lookup tables or pick an implementation (\`if runtime.GOOS == ...\`): they
  compute state from constants and cannot fail.
- Panics and \`log.Fatal\`: an init that stops on a broken invariant (a table too large for its encoding) does
  what it should; the I/O that could make it fail is what the rule looks for.
- Function literals defined in init (handlers being registered): their bodies run later.
- Generated files.

## Links
- [Effective Go: The init function](${links.effectiveGo}#init)
- [Go Code Review Comments](${links.reviewComments})
- peer: gochecknoinits (flags every init)`,
  },
  // Test files are never imported: an init there runs only in its own test binary.
  appliesTo: (file) => !file.isTestFile,
  // The declaration itself, from its first words: a query would search every function body.
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+init\s*\(/.test(text), nodeTypes: ['function_declaration'] },
  visit(decl: Node, ctx) {
    if (decl.childForFieldName('name')?.text !== 'init') return;
    const body = decl.childForFieldName('body');
    if (!body) return;
    if (!mayHaveEffect(body.text, ctx.file.imports)) return;
    const effect = firstEffect(body, ctx.file.imports);
    if (!effect) return;
    // On the function's name, where peers (gochecknoinits) report it; the statement is the related place.
    ctx.report({
      node: decl.childForFieldName('name') ?? effect.node,
      message: `init ${effect.description} (line {line}); init should only set up state that cannot fail: move this to main or behind a function the caller runs`,
      related: [{ start: effect.node.startIndex, end: effect.node.endIndex, message: `init ${effect.description} here` }],
    });
  },
};
