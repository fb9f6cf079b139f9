// The go-rubric command line: the same engine as the language server, for CI and terminals.
import { availableParallelism } from 'node:os';
import { FAIL_ON, runCheck, type FailOn, type Output } from './cli/check';
import { findRule } from './engine/config';
import { commandLineConfig } from './config/commandLineConfig';
import { ruleDocPage } from './rules/docs';
import { catalog } from './rules';
import { rulesTable } from './cli/rulesTable';
import { runReport } from './cli/report';
import { FORMATS, isFormat } from './cli/formats';
import { colorWanted } from './cli/formats/text';
import { parsePatterns } from './cli/patterns';
import { tuneTieringForBatchRun } from './cli/batchTiering';

const USAGE = `usage: go-rubric <command> [arguments]

commands:
  check [flags] [patterns...]  check .go and go.mod files. Patterns as the go tool reads them:
                              ./... (the default) this folder and all below it, dir/... the same
                              for dir, dir one folder alone, file.go one file. Below a folder,
                              vendor/, testdata/, hidden and _-prefixed folders and links to
                              folders are skipped (as go vet ./... does), and generated files get
                              no findings
      --format FORMAT         text (default: file:line:col: GRxxx name: message, coloured on a
                              terminal, a summary per rule on stderr), json, sarif (SARIF 2.1.0
                              for code scanning), github (workflow-command annotations) or
                              checkstyle (XML)
      --fail-on LEVEL         exit 1 when a finding is at LEVEL or above: error, warning (default),
                              information, hint, or never
      --jobs N, -j N          check on N worker threads (default: one per core); 1 checks in
                              the main thread. A progress line is drawn when stderr is a terminal
      --no-cache              check every folder, without reading or writing the result cache
                              (~/.cache/go-rubric: unchanged folders are answered from it)
      --fix                   apply every safe fix and write the files it changes (line breaks
                              kept), then report the findings left; the fixes applied per rule
                              are summed up on stderr
      --config FILE           use this configuration file for every path; by default each
                              file's nearest .gorubric.json, .gorubric.yaml or .gorubric.yml
                              (searched up to the repository root) applies
      --no-config             use no configuration file
      --rule KEY=LEVEL        set rules' severity over the configuration file (repeatable):
                              a code, name, glob (GR2*), phase (concurrency) or all, and error,
                              warning, information, hint or off
      --exclude GLOB          skip matching files, relative to the current folder (repeatable)
      --rules LIST            run only these rules: codes, names, globs or phases, comma-separated
                              (repeatable); the others are off for this run
      --exclude-rules LIST    do not run these rules (repeatable)
  report [--jobs N] [--no-cache] [config flags] [folders...]
                              the rubric report of the folders and all below them (default .;
                              dir/... is read as dir) as markdown: the five phases, each rubric
                              item met / with findings / not applicable, the project-setup facts,
                              and a score per phase
  rules [--format text|markdown|json]   list every rule: code, name, phase, severity, fix
  explain CODE|NAME           print a rule's full documentation

check exits 1 when a finding reaches --fail-on, 2 when a path does not exist, a folder named alone
has no Go files, a flag is wrong or a configuration file is invalid, else 0.`;

async function main(argv: string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const flags = parseFlags(rest);
  if (typeof flags === 'string') {
    io.err(`go-rubric: ${flags}\n${USAGE}`);
    return 2;
  }
  if (flags.fix && command !== 'check') {
    io.err('go-rubric: --fix is a flag of check only');
    return 2;
  }
  if (command === 'rules') {
    if (flags.format === 'json') {
      io.out(JSON.stringify(catalog.map((r) => ({ code: r.meta.code, name: r.meta.name, phase: r.meta.phase, severity: r.meta.severity, fixable: r.meta.fixable, summary: r.meta.summary })), null, 2));
      return 0;
    }
    io.out(rulesTable(catalog, flags.format === 'markdown' ? 'markdown' : 'text'));
    return 0;
  }
  if (command === 'explain') {
    const rule = flags.positional[0] ? findRule(catalog, flags.positional[0]) : undefined;
    if (!rule) {
      io.err(`go-rubric: explain needs a rule code or name (see "go-rubric rules")`);
      return 2;
    }
    io.out(ruleDocPage(rule));
    return 0;
  }
  if (command !== 'check' && command !== 'report') {
    io.err(`go-rubric: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  if (!isFormat(flags.format) || (command === 'report' && flags.format !== 'text')) {
    io.err(`go-rubric: unknown format "${flags.format}" (${command === 'report' ? 'report writes markdown' : Object.keys(FORMATS).join(', ')})`);
    return 2;
  }
  if (!(FAIL_ON as readonly string[]).includes(flags.failOn)) {
    io.err(`go-rubric: --fail-on takes one of ${FAIL_ON.join(', ')}`);
    return 2;
  }
  const cores = availableParallelism();
  let jobs = cores;
  if (flags.jobs !== undefined) {
    if (!/^[1-9][0-9]*$/.test(flags.jobs)) {
      io.err(`go-rubric: --jobs takes a whole number of threads, 1 or more (got "${flags.jobs}")`);
      return 2;
    }
    jobs = Number(flags.jobs);
  }
  const run = commandLineConfig(catalog, {
    cwd: process.cwd(),
    configFile: flags.config,
    noConfig: flags.noConfig,
    rules: flags.rules,
    exclude: flags.exclude,
    only: flags.only,
    skip: flags.skip,
  });
  if ('error' in run) {
    io.err(`go-rubric: ${run.error}`);
    return 2;
  }
  tuneTieringForBatchRun(jobs, cores);
  if (command === 'report') {
    // The report covers the folders below those named whatever the pattern: dir/... is dir.
    const targets = parsePatterns(flags.positional);
    if (typeof targets === 'string') {
      io.err(`go-rubric: ${targets}`);
      return 2;
    }
    return runReport(run, targets.map((t) => t.path), process.cwd(), jobs, flags.cache, io);
  }
  return runCheck(
    run,
    {
      paths: flags.positional,
      format: flags.format,
      failOn: flags.failOn as FailOn,
      cwd: process.cwd(),
      jobs,
      cache: flags.cache,
      fix: flags.fix,
    },
    io,
  );
}

interface Flags {
  format: string;
  failOn: string;
  jobs: string | undefined;
  cache: boolean;
  fix: boolean;
  config: string | undefined;
  noConfig: boolean;
  rules: string[];
  exclude: string[];
  only: string[];
  skip: string[];
  positional: string[];
}

function parseFlags(args: string[]): Flags | string {
  let cache = true;
  let fix = false;
  let noConfig = false;
  const single: Partial<Record<SingleFlag, string>> = {};
  const lists: Record<ListFlag, string[]> = { '--rule': [], '--exclude': [], '--rules': [], '--exclude-rules': [] };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = valueFlag(arg);
    if (flag) {
      const [name, inline] = flag;
      const value = inline ?? args[++i];
      if (isListFlag(name)) {
        if (!value) return `${name} needs a value`;
        lists[name].push(value);
      } else {
        // `--format=` (an empty inline value) is kept and refused later, as before.
        if (value === undefined || (inline === undefined && !value)) return `${arg} needs a value`;
        single[name] = value;
      }
    } else if (arg === '--no-cache') {
      cache = false;
    } else if (arg === '--no-config') {
      noConfig = true;
    } else if (arg === '--fix') {
      fix = true;
    } else if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown flag "${arg}"`;
    } else {
      positional.push(arg);
    }
  }
  return {
    format: single['--format'] ?? 'text',
    failOn: single['--fail-on'] ?? 'warning',
    jobs: single['--jobs'],
    cache,
    fix,
    config: single['--config'],
    noConfig,
    rules: lists['--rule'],
    exclude: lists['--exclude'],
    only: lists['--rules'],
    skip: lists['--exclude-rules'],
    positional,
  };
}

/** Flags that take one value (the last one given wins), with their short aliases. */
const SINGLE_FLAGS = ['--jobs', '--format', '--fail-on', '--config'] as const;
type SingleFlag = (typeof SINGLE_FLAGS)[number];
const SHORT_FLAGS: Record<string, SingleFlag> = { '-j': '--jobs', '-f': '--format' };
/** Repeatable flags. */
const LIST_FLAGS = ['--rule', '--exclude', '--rules', '--exclude-rules'] as const;
type ListFlag = (typeof LIST_FLAGS)[number];

function isListFlag(name: SingleFlag | ListFlag): name is ListFlag {
  return (LIST_FLAGS as readonly string[]).includes(name);
}

/** A flag that takes a value, as `--flag value` (inline undefined), `--flag=value`, or a short alias `-j value`. */
function valueFlag(arg: string): [SingleFlag | ListFlag, string | undefined] | undefined {
  const short = SHORT_FLAGS[arg];
  if (short) return [short, undefined];
  for (const name of [...SINGLE_FLAGS, ...LIST_FLAGS]) {
    if (arg === name) return [name, undefined];
    if (arg.startsWith(`${name}=`)) return [name, arg.slice(name.length + 1)];
  }
  return undefined;
}

const io: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ...(process.stderr.isTTY ? { progress: process.stderr, outIsTerminal: process.stdout.isTTY === true } : {}),
  color: colorWanted(process.stdout.isTTY === true, process.env),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.err(`go-rubric: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
