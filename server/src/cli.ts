// The go-rubric command line: the same engine as the language server, for CI and terminals.
import { createGoParser } from './parsing/goParser';
import { runCheck, type Output } from './cli/check';
import { defaultConfig } from './engine/config';
import { Engine } from './engine/engine';
import { allRules } from './rules';
import { rulesTable } from './cli/rulesTable';

const USAGE = `usage: go-rubric <command> [arguments]

commands:
  check [--format text|json] [paths...]   check .go files (folders are walked; vendor/, testdata/,
                                          hidden and _-prefixed folders and generated files are skipped)
  rules [--format text|markdown]          list every rule with its code, name, phase, severity and fix

check exits 1 when a finding is a warning or error, 2 when a path does not exist, else 0.`;

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
  if (command === 'rules') {
    io.out(rulesTable(allRules, flags.format === 'markdown' ? 'markdown' : 'text'));
    return 0;
  }
  if (command !== 'check') {
    io.err(`go-rubric: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  if (flags.format !== 'text' && flags.format !== 'json') {
    io.err(`go-rubric: unknown format "${flags.format}" (text or json)`);
    return 2;
  }
  const parser = await createGoParser();
  const engine = new Engine(allRules, (message) => io.err(`go-rubric: ${message}`));
  return runCheck(
    parser,
    engine,
    defaultConfig(allRules),
    { paths: flags.positional.length > 0 ? flags.positional : ['.'], format: flags.format, cwd: process.cwd() },
    io,
  );
}

function parseFlags(args: string[]): { format: string; positional: string[] } | string {
  let format = 'text';
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--format' || arg === '-f') {
      const value = args[++i];
      if (!value) return `${arg} needs a value`;
      format = value;
    } else if (arg.startsWith('--format=')) {
      format = arg.slice('--format='.length);
    } else if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown flag "${arg}"`;
    } else {
      positional.push(arg);
    }
  }
  return { format, positional };
}

const io: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
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
