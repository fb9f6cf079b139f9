// Writes docs/rules/<CODE>.md for every rule from the registry (through the built CLI), the pages
// each diagnostic's code links to. `--check` exits 1 when a committed page is stale or missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'server', 'out', 'cli.js');
const docsDir = join(root, 'docs', 'rules');
const check = process.argv.includes('--check');

const rules = JSON.parse(execFileSync(process.execPath, [cli, 'rules', '--format', 'json'], { encoding: 'utf8' }));
const expected = new Map(rules.map((r) => [`${r.code}.md`, execFileSync(process.execPath, [cli, 'explain', r.code], { encoding: 'utf8' })]));

if (check) {
  const stale = [...expected].filter(([name, text]) => !existsSync(join(docsDir, name)) || readFileSync(join(docsDir, name), 'utf8') !== text).map(([n]) => n);
  const extra = existsSync(docsDir) ? readdirSync(docsDir).filter((n) => !expected.has(n)) : [];
  if (stale.length || extra.length) {
    console.error(`docs/rules is out of date (${[...stale, ...extra].join(', ')}): run "npm run docs:rules" and commit the result`);
    process.exit(1);
  }
  console.log(`docs/rules is up to date (${expected.size} rules)`);
} else {
  rmSync(docsDir, { recursive: true, force: true });
  mkdirSync(docsDir, { recursive: true });
  for (const [name, text] of expected) writeFileSync(join(docsDir, name), text);
  console.log(`wrote ${expected.size} rule pages to docs/rules/`);
}
