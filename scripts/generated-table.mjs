// Writes a generated table, or with --check compares it with the committed one (exit 1 when
// stale): shared by the scripts that generate server/src/data/*.json from Go's files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** `script` names the generator in messages; `describe` says what a written table holds. */
export function writeOrCheck({ script, out, text, check, describe }) {
  const shown = relative(repo, out);
  if (check) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${script}: ${shown} is stale; run node scripts/${script}.mjs`);
      process.exit(1);
    }
    console.log(`${script}: the table is up to date`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out} (${describe(JSON.parse(text))}, ${text.length} bytes)`);
  }
}
