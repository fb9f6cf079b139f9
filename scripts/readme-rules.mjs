// Regenerates the rules table in README.md from the rule registry, so that the table is never
// maintained by hand: it is the output of `go-rubric rules --format markdown`, placed between the
// `<!-- rules:start -->` and `<!-- rules:end -->` markers.
//
//   node scripts/readme-rules.mjs          rewrite the table (npm run readme:rules)
//   node scripts/readme-rules.mjs --check  exit 1 if the table is stale, without writing (CI)
//
// It builds first: a table taken from an out-of-date server/out/cli.js would be wrong in both modes.
// Exit codes: 0 up to date (or rewritten), 1 stale (--check only), 2 usage or setup error.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

function fail(message) {
  process.stderr.write(`readme-rules: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) fail(`unknown argument ${unknown.join(' ')}\nusage: node scripts/readme-rules.mjs [--check]`);

function run(script, scriptArgs) {
  try {
    return execFileSync(process.execPath, [join(root, script), ...scriptArgs], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    fail(`node ${script} ${scriptArgs.join(' ')} failed (exit ${error.status ?? error.message})`);
  }
}

run('scripts/build.mjs', []);
const table = run('server/out/cli.js', ['rules', '--format', 'markdown']).trim();
if (!table.startsWith('|')) fail(`unexpected output from go-rubric rules:\n${table}`);

const original = readFileSync(readmePath, 'utf8');
// Compare and rebuild with "\n"; write back in the file's own line endings (a Windows checkout).
const eol = original.includes('\r\n') ? '\r\n' : '\n';
const text = original.replace(/\r\n/g, '\n');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < 0) fail(`README.md needs the markers ${START} and ${END}`);
if (end < start || text.indexOf(START, start + 1) >= 0 || text.indexOf(END, end + 1) >= 0) {
  fail(`README.md must contain ${START} once, followed by ${END} once`);
}

const updated = `${text.slice(0, start + START.length)}\n\n${table}\n\n${text.slice(end)}`;
if (updated === text) {
  process.stdout.write('readme-rules: README.md rules table is up to date\n');
} else if (check) {
  process.stderr.write('readme-rules: the rules table in README.md is out of date; run `npm run readme:rules`\n');
  process.exit(1);
} else {
  writeFileSync(readmePath, eol === '\n' ? updated : updated.replace(/\n/g, eol));
  process.stdout.write('readme-rules: README.md rules table updated\n');
}
