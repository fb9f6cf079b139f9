// The rubric report: `go-rubric report` on a small module made for the test (its sections, item
// states, links to the first places, the project-setup facts, the scores), and `go-rubric check`
// reporting go.mod findings next to the Go files'.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';

const CLI = join(repoRoot(), 'server', 'out', 'cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, GO_RUBRIC_CACHE: 'off' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FILES: Record<string, string> = {
  'go.mod': 'module example.com/shop\n\ngo 1.16\n',
  'store/store.go': 'package store\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("wrap: %v", err)\n}\n',
  'server/main.go': 'package main\n\nfunc main() {}\n',
  'migrate/main.go': 'package main\n\nfunc main() {}\n',
};

describe('go-rubric report', { timeout: 120_000 }, () => {
  let dir: string;
  let report: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-report-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = run(['report', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    report = r.stdout;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has a header with what was checked, an overall score and a table of the phases', () => {
    assert.match(report, /^# Go Rubric report: `\.`$/m);
    assert.match(report, /^3 Go files \(0 test files\) and 1 go\.mod file checked by go-rubric /m);
    assert.match(report, /^\*\*Overall: \d+\/\d+ items met \(\d+%\)\*\* of the rubric items that apply\.$/m);
    assert.match(report, /^\| Phase 0: project setup \| \d\/6 items met \(\d+%\) \| 3 \|$/m);
  });

  it('has one section per phase, each rule an item with its state', () => {
    for (const title of ['Phase 0: project setup', 'Phase 1: idioms', 'Phase 2: concurrency', 'Phase 3: testing']) assert.match(report, new RegExp(`^## ${title}`, 'm'));
    assert.match(report, /^\| ⚠️ \| \*\*GR003\*\* old-go-version: .* \| 1 finding \(1 warning\) \|$/m);
    assert.match(report, /^\| ✅ \| \*\*GR001\*\* no-go-mod: .* \| met \|$/m);
    assert.match(report, /^\| ➖ \| \*\*GR306\*\* bench-no-loop: .* \| not applicable: no _test\.go files \|$/m);
    assert.match(report, /^\| ℹ️ \| \*\*GR101\*\* errorf-wrap-verb: .* \| 1 finding \(1 information\) \|$/m);
  });

  it('links the first places of each finding, relative to the working folder', () => {
    assert.match(report, /^- \[store\/store\.go:6\]\(store\/store\.go#L6\): fmt\.Errorf formats the error err with %v/m);
    assert.match(report, /^- \[go\.mod:3\]\(go\.mod#L3\): go 1\.16 is older than Go 1\.19/m);
  });

  it('lists the workspace facts and the workspace rules of phase 0', () => {
    assert.match(report, /^- Module `example\.com\/shop` at \[\.\]\(\.\): go 1\.16, go\.sum missing; 3 packages, 2 commands \(migrate\/, server\/\); lint: none; build: none; CI: none$/m);
    assert.match(report, /^\| ℹ️ \| \*\*GR005\*\* main-outside-cmd: .* \| 1 finding \(1 information\) \|$/m);
    assert.match(report, /^- \[\.\]\(\.\): example\.com\/shop has 2 commands outside cmd\/ \(migrate\/, server\/\)/m);
    assert.match(report, /^\| ℹ️ \| \*\*GR006\*\* no-lint-setup: /m);
  });

  it('exits 2 on a path that does not exist', () => {
    const r = run(['report', 'nowhere'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nowhere: no such file or directory/);
  });

  it('go-rubric check reports the go.mod findings before the Go files\'', () => {
    const r = run(['check', '--fail-on', 'never', './...'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'go.mod:3:4: GR003 old-go-version: go 1.16 is older than Go 1.19: the module is compiled as a language version long out of support; raise the go directive to 1.19 or later');
    assert.match(lines[1] ?? '', /^store\/store\.go:6:27: GR101 /);
  });
});
