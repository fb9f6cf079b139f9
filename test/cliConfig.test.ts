// `go-rubric check` and `report` with a configuration file: found from each file's folder up to
// the repository root, its rules and exclude patterns applied, nested files taking over their
// folders, flags over the file, invalid files stopping the run with exit 2, and the result cache
// telling configurations apart.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './helpers/goFiles';

const CLI = join(repoRoot(), 'server', 'out', 'cli.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = { ...process.env, GO_RUBRIC_CACHE: 'off' }) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WRAP = 'package p\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("wrap: %v", err)\n}\n';
const LOCK = 'package p\n\nimport "sync"\n\nvar mu sync.Mutex\n\nfunc f(x int) int {\n\tmu.Lock()\n\tif x > 0 {\n\t\treturn x\n\t}\n\tmu.Unlock()\n\treturn 0\n}\n';

/** A repository: a .git folder, a module, and the given files. */
function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gorubric-cliconfig-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/t\n\ngo 1.21\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** "path CODE" per finding line of text output. */
const found = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((line) => line.replace(/^([^:]+):\d+:\d+: (GR\d+) .*$/, '$1 $2'));

describe('go-rubric check with a configuration file', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    dir = makeRepo({
      'wrap.go': WRAP,
      'lock.go': LOCK,
      'store/store_mock.go': WRAP,
      'internal/gen/api.go': WRAP,
      'svc/wrap.go': WRAP,
      'svc/lock.go': LOCK,
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without a file, checks everything with the defaults', () => {
    const r = run(['check', '--fail-on', 'never', './...'], dir);
    assert.deepEqual(found(r.stdout), ['internal/gen/api.go GR101', 'lock.go GR201', 'store/store_mock.go GR101', 'svc/lock.go GR201', 'svc/wrap.go GR101', 'wrap.go GR101']);
  });

  it('applies the nearest file: rules by glob and phase, excludes relative to its folder; a nested file takes over its folder', () => {
    writeFileSync(join(dir, '.gorubric.json'), JSON.stringify({ rules: { idioms: 'error', 'GR2*': 'off' }, exclude: ['**/*_mock.go', 'internal/gen/**'] }));
    writeFileSync(join(dir, 'svc', '.gorubric.yaml'), '# the service keeps the defaults, less GR101\nrules:\n  errorf-wrap-verb: "off"\n');
    const r = run(['check', '--format', 'json', './...'], dir);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout) as { files: number; findings: { path: string; code: string; severity: string }[] };
    assert.deepEqual(
      json.findings.map((f) => [f.path, f.code, f.severity]),
      [
        [join('svc', 'lock.go'), 'GR201', 'warning'],
        ['wrap.go', 'GR101', 'error'],
      ],
    );
    assert.equal(json.files, 4, 'excluded files are not counted');
    // The same from inside a folder: the search goes up from the files, not from the arguments.
    const inside = run(['check', '--fail-on', 'never', './...'], join(dir, 'store'));
    assert.deepEqual(found(inside.stdout), []);
    assert.match(inside.stderr, /no findings in 0 files/);
    // A file named on the command line is excluded all the same.
    assert.deepEqual(found(run(['check', 'internal/gen/api.go', 'wrap.go'], dir).stdout), ['wrap.go GR101']);
  });

  it('--rule and --exclude override the file; --no-config and --config FILE replace it', () => {
    const flags = run(['check', '--fail-on', 'never', '--rule', 'GR101=hint', '--rule', 'concurrency=warning', '--exclude', 'svc/**', './...'], dir);
    assert.deepEqual(found(flags.stdout), ['lock.go GR201', 'wrap.go GR101']);
    assert.match(flags.stderr, /2 findings \(1 warning, 1 hint\)/);
    const none = run(['check', '--fail-on', 'never', '--no-config', './...'], dir);
    assert.equal(found(none.stdout).length, 6);
    writeFileSync(join(dir, 'other.yml'), 'rules:\n  all: "off"\n  lock-without-defer: error\n');
    const other = run(['check', '--config', 'other.yml', './...'], dir);
    assert.equal(other.code, 1);
    assert.deepEqual(found(other.stdout), ['lock.go GR201', 'svc/lock.go GR201'], 'the given file applies everywhere, the nested one too');
  });

  it('stops at the repository root: a file above it is not read', () => {
    const outer = mkdtempSync(join(tmpdir(), 'gorubric-outer-'));
    try {
      writeFileSync(join(outer, '.gorubric.json'), '{"rules": {"all": "off"}}');
      mkdirSync(join(outer, 'repo', '.git'), { recursive: true });
      writeFileSync(join(outer, 'repo', 'go.mod'), 'module example.com/r\n\ngo 1.21\n');
      writeFileSync(join(outer, 'repo', 'wrap.go'), WRAP);
      writeFileSync(join(outer, 'plain.go'), WRAP);
      assert.deepEqual(found(run(['check', '--fail-on', 'never', 'repo/...'], outer).stdout), ['repo/wrap.go GR101']);
      assert.deepEqual(found(run(['check', '--fail-on', 'never', 'plain.go'], outer).stdout), [], 'outside the repository it applies');
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });

  it('reports unknown keys on stderr and goes on; an invalid file exits 2 before checking anything', () => {
    writeFileSync(join(dir, 'svc', '.gorubric.yaml'), 'rules:\n  GR999: "off"\nexcludes: [x]\n');
    const warned = run(['check', '--fail-on', 'never', './...'], dir);
    assert.equal(warned.code, 0);
    assert.match(warned.stderr, /^go-rubric: svc\/\.gorubric\.yaml: warning: unknown key "excludes" \(known: rules, exclude\)$/m);
    assert.match(warned.stderr, /^go-rubric: svc\/\.gorubric\.yaml: warning: rules: unknown rule "GR999"$/m);
    assert.ok(warned.stdout.length > 0);

    writeFileSync(join(dir, 'svc', '.gorubric.yaml'), 'rules:\n  GR101: loud\nexclude: [../wrap.go]\n');
    const invalid = run(['check', '--format', 'json', './...'], dir);
    assert.equal(invalid.code, 2);
    assert.equal(invalid.stdout, '', 'nothing is checked');
    assert.match(invalid.stderr, /^go-rubric: svc\/\.gorubric\.yaml: rules\.GR101: "loud" is not one of error, warning, information, hint, off$/m);
    assert.match(invalid.stderr, /^go-rubric: svc\/\.gorubric\.yaml: exclude pattern "\.\.\/wrap\.go" leaves the folder/m);
    assert.equal(run(['report', '.'], dir).code, 2, 'report stops the same way');
    const elsewhere = run(['check', '--fail-on', 'never', 'wrap.go'], dir);
    assert.equal(elsewhere.code, 0, 'a run that does not reach the invalid file is not affected');
    assert.deepEqual(found(elsewhere.stdout), ['wrap.go GR101']);

    writeFileSync(join(dir, 'svc', '.gorubric.yaml'), 'rules: [\n');
    assert.match(run(['check', './...'], dir).stderr, /svc\/\.gorubric\.yaml: not valid YAML: .*line \d+, column \d+/);
    rmSync(join(dir, 'svc', '.gorubric.yaml'));
  });

  it('refuses bad flags with exit 2', () => {
    for (const [args, message] of [
      [['--rule', 'GR101'], /--rule takes KEY=LEVEL/],
      [['--rule', 'GR999=off'], /--rule: unknown rule "GR999"/],
      [['--rule', 'GR101=loud'], /--rule: "loud" is not one of/],
      [['--exclude', '/abs/**'], /--exclude: exclude pattern "\/abs\/\*\*" is absolute/],
      [['--config', 'missing.json'], /missing\.json: cannot be read: no such file or directory/],
      [['--config', 'x.json', '--no-config'], /--config and --no-config exclude each other/],
    ] as const) {
      const r = run(['check', ...args, './...'], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('report leaves excluded files out and follows the rules', () => {
    const r = run(['report', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^4 Go files \(0 test files\) and 1 go\.mod file checked/m);
    assert.match(r.stdout, /^\| ❌ \| \*\*GR101\*\* errorf-wrap-verb: .* \| 2 findings \(2 error\) \|$/m);
    assert.match(r.stdout, /^\| ⏸ \| \*\*GR201\*\* lock-without-defer: .* \| off \|$/m);
  });
});

describe('go-rubric check: the result cache and configuration', { timeout: 120_000 }, () => {
  let dir: string;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = makeRepo({ 'a/wrap.go': WRAP, 'a/wrap_mock.go': WRAP, 'b/lock.go': LOCK });
    cacheDir = mkdtempSync(join(tmpdir(), 'gorubric-cliconfig-cache-'));
    env = { ...process.env, GO_RUBRIC_CACHE_DIR: cacheDir, GO_RUBRIC_CACHE: '' };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });
  const entries = () => readdirSync(cacheDir, { recursive: true }).filter((n) => String(n).endsWith('.json')).length;
  const check = () => run(['check', '--format', 'json', '--fail-on', 'never', './...'], dir, env).stdout;
  const uncached = () => run(['check', '--format', 'json', '--fail-on', 'never', '--no-cache', './...'], dir, env).stdout;

  it('answers each configuration as a check without the cache would, and caches folders with excluded files', () => {
    const plain = check();
    assert.equal(entries(), 2);
    writeFileSync(join(dir, '.gorubric.json'), '{"exclude": ["*_mock.go"]}');
    const excluded = check();
    assert.equal(excluded, uncached());
    assert.equal((JSON.parse(excluded) as { files: number }).files, 2);
    assert.equal(entries(), 3, 'folder a with its mock excluded is an entry of its own');
    assert.equal(check(), excluded, 'and answered from it');
    writeFileSync(join(dir, '.gorubric.json'), '{"rules": {"GR101": "warning"}}');
    const severities = check();
    assert.equal(severities, uncached());
    assert.match(severities, /"severity": "warning"/);
    rmSync(join(dir, '.gorubric.json'));
    assert.equal(check(), plain);
  });
});
