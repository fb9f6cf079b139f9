// The project-setup rules that do not read Go files: the go.mod rules (GR002-GR004) on go.mod
// fixtures annotated like the Go ones (`// want "regexp"`, a go.mod comment), with their fixes
// (go.mod.golden) and CRLF variants; the go.mod reader itself; and the workspace rules (GR005,
// GR006) on folder trees made for each test.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultConfig, resolveConfig } from '../server/src/engine/config';
import { applyEdits } from '../server/src/fixes/applyFix';
import { catalog, moduleRules, workspaceRules } from '../server/src/rules';
import { checkGoModText } from '../server/src/setup/checkGoMod';
import { localReplacement, parseGoMod } from '../server/src/setup/goModFile';
import { readWorkspaceLayout } from '../server/src/setup/workspaceLayout';
import { LineIndex } from '../server/src/text/positions';
import { compareWants, readWants } from './helpers/want';

const FIXTURES = join(__dirname, '..', 'fixtures', 'setup');
const config = defaultConfig(catalog);

describe('go.mod rule fixtures', () => {
  for (const rule of moduleRules) {
    const dir = join(FIXTURES, rule.meta.code);
    it(`${rule.meta.code} has flagged and clean fixtures`, () => {
      const texts = readdirSync(dir).map((sub) => readFileSync(join(dir, sub, 'go.mod'), 'utf8'));
      assert.ok(texts.some((t) => readWants(t).length > 0), 'no fixture expects a finding');
      assert.ok(texts.some((t) => readWants(t).length === 0), 'no clean fixture');
    });
    for (const sub of readdirSync(dir).sort()) {
      const path = join(dir, sub, 'go.mod');
      for (const crlf of [false, true]) {
        const read = (file: string) => (crlf ? readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n') : readFileSync(file, 'utf8'));
        const label = `${rule.meta.code} ${sub}/go.mod${crlf ? ' (CRLF)' : ''}`;
        it(label, () => {
          const text = read(path);
          const findings = checkGoModText(text, existsSync(join(dirname(path), 'go.sum')), config, [rule]);
          const index = new LineIndex(text);
          const problems = compareWants(readWants(text), findings.map((f) => ({ line: index.positionAt(f.start).line, message: f.message })));
          assert.deepEqual(problems, [], problems.join('\n'));
        });
        if (existsSync(`${path}.golden`)) {
          it(`${label} fixes to go.mod.golden`, () => {
            const text = read(path);
            const edits = checkGoModText(text, true, config, [rule]).flatMap((f) => f.fix?.edits ?? []);
            assert.ok(edits.length > 0, 'no fix');
            assert.equal(applyEdits(text, edits), read(`${path}.golden`));
          });
        }
      }
    }
  }

  it('a rule turned off in the settings reports nothing', () => {
    const off = resolveConfig(catalog, { 'old-go-version': 'off' }).config;
    assert.deepEqual(checkGoModText('module x\n\ngo 1.13\n', true, off, moduleRules), []);
  });

  it('a rule that throws is logged and skipped; the others still run', () => {
    const logs: string[] = [];
    const broken = { meta: moduleRules[0]!.meta, checkModule: () => { throw new Error('boom'); } };
    const findings = checkGoModText('module x\n\ngo 1.13\n', true, config, [broken, ...moduleRules], (m) => logs.push(m));
    assert.deepEqual(findings.map((f) => f.code), ['GR003']);
    assert.match(logs.join('\n'), /boom/);
  });
});

describe('go.mod reader', () => {
  it('reads directives alone and in blocks, with their places', () => {
    const text = 'module "example.com/m" // the module\n\ngo 1.21\nrequire (\n\ta v1.0.0 // indirect\n)\nreplace b => ../b\n';
    const mod = parseGoMod(text);
    assert.deepEqual(
      mod.directives.map((d) => [d.verb, d.args.map((a) => a.text), d.inBlock, d.comment]),
      [
        ['module', ['example.com/m'], false, 'the module'],
        ['go', ['1.21'], false, undefined],
        ['require', ['a', 'v1.0.0'], true, 'indirect'],
        ['replace', ['b', '=>', '../b'], false, undefined],
      ],
    );
    const go = mod.directives[1]!.args[0]!;
    assert.equal(text.slice(go.start, go.end), '1.21');
    const quoted = mod.directives[0]!.args[0]!;
    assert.equal(text.slice(quoted.start, quoted.end), '"example.com/m"');
  });

  it('keeps a // inside a quoted path, and offsets with non-ASCII text before them', () => {
    const text = '// módulo ✓ 𝔾\nreplace x => "./a//b"\n';
    const replace = parseGoMod(text).directives[0]!;
    assert.equal(localReplacement(replace)?.text, './a//b');
    const target = replace.args[2]!;
    assert.equal(text.slice(target.start, target.end), '"./a//b"');
  });

  it('tells local folders from module paths', () => {
    const target = (line: string) => localReplacement(parseGoMod(line).directives[0]!)?.text;
    assert.equal(target('replace a => ./a'), './a');
    assert.equal(target('replace a => ..'), '..');
    assert.equal(target('replace a => /abs/a'), '/abs/a');
    assert.equal(target('replace a => D:\\src\\a'), 'D:\\src\\a');
    assert.equal(target('replace a => example.com/a v1.0.0'), undefined);
    assert.equal(target('replace a => .hidden/a v1.0.0'), undefined);
    assert.equal(target('require a v1.0.0'), undefined);
  });
});

describe('workspace rules', () => {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  /** A folder tree from { 'path/file': 'text' }. */
  const tree = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), 'go-rubric-layout-'));
    roots.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };
  const check = (code: string, root: string) => workspaceRules.find((r) => r.meta.code === code)!.checkWorkspace(readWorkspaceLayout(root));

  it('GR005: two commands outside cmd/ are reported once for their module', () => {
    const root = tree({
      'go.mod': 'module example.com/app\n\ngo 1.21\n',
      'server/main.go': 'package main\n\nfunc main() {}\n',
      'migrate/main.go': '// Copyright\n\npackage main\n\nfunc main() {}\n',
      'store/store.go': 'package store\n',
    });
    const findings = check('GR005', root);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /example\.com\/app has 2 commands outside cmd\/ \(migrate\/, server\/\)/);
  });

  it('GR005: commands under cmd/, examples, a single root command, generators and nested modules are fine', () => {
    const root = tree({
      'go.mod': 'module example.com/app\n\ngo 1.21\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      'cmd/a/main.go': 'package main\n',
      'cmd/b/main.go': 'package main\n',
      'examples/hello/main.go': 'package main\n',
      'internal/gen/gen.go': '//go:build ignore\n\npackage main\n',
      'tools/go.mod': 'module example.com/app/tools\n',
      'tools/x/main.go': 'package main\n',
      'testdata/y/main.go': 'package main\n',
      'store/store_test.go': 'package main\n',
    });
    assert.deepEqual(check('GR005', root), []);
  });

  it('a link to a folder is not walked into, as go vet ./... ignores it: no module or command counted twice', () => {
    const root = tree({
      'app/go.mod': 'module example.com/app\n\ngo 1.21\n',
      'app/cmd/a/main.go': 'package main\n',
      'app/store/store.go': 'package store\n',
    });
    symlinkSync('app', join(root, 'a-link')); // sorted first: walked first, were links followed
    const layout = readWorkspaceLayout(root);
    assert.deepEqual(
      layout.modules.map((m) => [relative(root, m.dir), m.packages, m.mainPackages]),
      [['app', 2, ['cmd/a']]],
    );
  });

  it('GR006: a module with neither a lint configuration nor a task runner', () => {
    const bare = tree({ 'go.mod': 'module example.com/bare\n', 'a.go': 'package a\n' });
    assert.match(check('GR006', bare)[0]?.message ?? '', /example\.com\/bare has no golangci-lint configuration and no Makefile/);
    assert.deepEqual(check('GR006', tree({ 'go.mod': 'module m\n', '.golangci.yml': 'linters: {}\n' })), []);
    assert.deepEqual(check('GR006', tree({ 'go.mod': 'module m\n', Makefile: 'lint:\n\tgo vet ./...\n' })), []);
    // A task runner at the workspace root covers the modules below it.
    assert.deepEqual(check('GR006', tree({ 'Taskfile.yml': '', 'svc/go.mod': 'module svc\n' })), []);
  });
});
