// Every fixed fixture (*.go.golden) must be what gofmt would leave, and compile and pass go vet.
// Needs Go 1.19's gofmt and go (Debian golang-1.19-go, installed by .ci/run); skipped without them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const GO_BIN = process.env.GO_RUBRIC_GO_BIN ?? '/usr/lib/go-1.19/bin';
const GOFMT = join(GO_BIN, 'gofmt');
const GO = join(GO_BIN, 'go');
const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');
const missing = existsSync(GOFMT) && existsSync(GO) ? false : `Go 1.19 not found at ${GO_BIN} (apt-get install golang-1.19-go)`;

function goldens(): { code: string; name: string; path: string; text: string }[] {
  const out = [];
  for (const code of readdirSync(FIXTURES).sort()) {
    for (const name of readdirSync(join(FIXTURES, code)).filter((f) => f.endsWith('.go.golden')).sort()) {
      const path = join(FIXTURES, code, name);
      out.push({ code, name, path, text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

describe('fixed Go is valid Go', { skip: missing }, () => {
  it('every golden file is gofmt-clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-gofmt-'));
    try {
      for (const g of goldens()) {
        const file = join(dir, `${g.code}_${g.name.replace(/\.golden$/, '')}`);
        writeFileSync(file, g.text);
        const formatted = execFileSync(GOFMT, [file], { encoding: 'utf8' });
        assert.equal(formatted, g.text, `${g.code}/${g.name} is not gofmt-clean`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every golden file that imports only the standard library passes go vet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-vet-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module fixtures\n\ngo 1.19\n');
      let packages = 0;
      for (const g of goldens()) {
        const imports = [...g.text.matchAll(/^\s*(?:\w+\s+)?"([^"]+)"$/gm)].map((m) => m[1]!);
        if (imports.some((p) => p.split('/')[0]!.includes('.'))) continue;
        const pkgDir = join(dir, `${g.code}_${g.name.replace(/\.go\.golden$/, '')}`);
        mkdirSync(pkgDir);
        writeFileSync(join(pkgDir, 'fixed.go'), g.text);
        packages++;
      }
      assert.ok(packages > 0, 'no golden file to vet');
      const env = { ...process.env, GOFLAGS: '-mod=mod', GOPATH: join(dir, '.gopath'), GOCACHE: join(tmpdir(), 'gorubric-gocache'), GO111MODULE: 'on' };
      try {
        execFileSync(GO, ['vet', './...'], { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const e = error as { stderr?: string; stdout?: string };
        assert.fail(`go vet rejected fixed code:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
