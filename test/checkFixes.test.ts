// scripts/check-fixes.mjs end to end on a small root of fixtures (parse and gofmt only: a root
// that is neither the standard library nor the GOPATH corpus is not vetted).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const GO_BIN = process.env.GO_RUBRIC_GO_BIN ?? '/usr/lib/go-1.19/bin';
const missing = existsSync(join(GO_BIN, 'gofmt')) ? false : `gofmt not found in ${GO_BIN}`;

describe('npm run check:fixes', { skip: missing }, () => {
  it('applies every fix of a folder alone and with --fix, and tables them per rule', () => {
    const root = mkdtempSync(join(tmpdir(), 'gorubric-check-fixes-'));
    try {
      cpSync(join(ROOT, 'test', 'fixtures', 'fixAll', 'several.go'), join(root, 'store', 'several.go'));
      cpSync(join(ROOT, 'test', 'fixtures', 'rules', 'GR102', 'flagged.go'), join(root, 'wrap', 'flagged.go'));
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-fixes.mjs'), '--root', root, '--jobs', '2'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /: 2 package folders, \d+ fixes offered, 1 file\(s\) changed by --fix/);
      // several.go: 2 GR101, 3 GR111, 2 GR201 and 1 GR216 fixes, each valid alone; GR102's are unsafe.
      assert.match(r.stdout, /^GR101 +2 +2 +2 +0 +0 +0 +0 +0$/m);
      assert.match(r.stdout, /^GR111 +3 +3 +3 +0 /m);
      assert.match(r.stdout, /^GR102 +\d+ +0 +\d+ +0 /m);
      assert.match(r.stdout, /^GR216 +1 +1 +1 +0 /m);
      assert.match(r.stdout, /^go vet: not run/m);
      assert.match(r.stdout, /fixes: \d+ valid, 0 invalid; --fix files: 1 valid, 0 invalid/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
