// What `go-rubric check` checks and how it exits: Go-style patterns (./..., dir/..., a folder
// alone, files), --rules and --exclude-rules, and the exit code for each --fail-on level.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsePatterns } from '../server/src/cli/patterns';
import { runCli } from './helpers/cli';

const WRAP = 'package p\n\nimport "fmt"\n\nfunc wrap(err error) error {\n\treturn fmt.Errorf("wrap: %v", err)\n}\n';
const LOCK = 'package p\n\nimport "sync"\n\nvar mu sync.Mutex\n\nfunc f(x int) int {\n\tmu.Lock()\n\tif x > 0 {\n\t\treturn x\n\t}\n\tmu.Unlock()\n\treturn 0\n}\n';

/** A module in a temporary folder with the given files. */
function makeModule(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gorubric-selection-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/s\n\ngo 1.21\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The files with findings in text output, in order. */
const filesIn = (stdout: string) => [...new Set(stdout.trim().split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf(':'))))];

describe('patterns', () => {
  it('reads ./..., dir/..., ... and plain paths; refuses ... anywhere else', () => {
    assert.deepEqual(parsePatterns([]), [{ path: '.', recursive: true }]);
    assert.deepEqual(parsePatterns(['./...', 'pkg/...', '...', '/abs/x/...', '.', 'pkg', 'a.go']), [
      { path: '.', recursive: true },
      { path: 'pkg', recursive: true },
      { path: '.', recursive: true },
      { path: '/abs/x', recursive: true },
      { path: '.', recursive: false },
      { path: 'pkg', recursive: false },
      { path: 'a.go', recursive: false },
    ]);
    assert.deepEqual(parsePatterns(['/...']), [{ path: '/', recursive: true }]);
    for (const bad of ['net/.../http', '.../x', 'pkg...', './.../...']) assert.match(parsePatterns([bad]) as string, /only a trailing \/\.\.\. is a pattern/, bad);
  });

  describe('on a tree', () => {
    let dir: string;
    before(() => {
      dir = makeModule({
        'root.go': WRAP,
        'sub/sub.go': WRAP,
        'sub/deep/deep.go': LOCK,
        'nogo/inner/inner.go': WRAP,
        'vendor/v/v.go': WRAP,
        'testdata/t.go': WRAP,
        '_old/o.go': WRAP,
        '.hidden/h.go': WRAP,
        'outside/linked.go': LOCK,
      });
      // Links as a GOPATH tree has them (an old import path linking to the new one): a link to a
      // folder is not walked into, a link to a file is read.
      symlinkSync('sub', join(dir, 'sublink'));
      symlinkSync('../outside/linked.go', join(dir, 'sub', 'linked.go'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const check = (...patterns: string[]) => runCli(['check', '--fail-on', 'never', ...patterns], dir);

    it('no pattern, ./... and ... check the whole tree but the folders the go tool skips', () => {
      const all = ['nogo/inner/inner.go', 'outside/linked.go', 'root.go', 'sub/deep/deep.go', 'sub/linked.go', 'sub/sub.go'];
      for (const patterns of [[], ['./...'], ['...']]) {
        const r = check(...patterns);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(filesIn(r.stdout), all, patterns.join(' '));
      }
    });

    it('a folder alone is that folder; dir/... adds the folders below', () => {
      assert.deepEqual(filesIn(check('.').stdout), ['root.go']);
      assert.deepEqual(filesIn(check('sub').stdout), ['sub/linked.go', 'sub/sub.go']);
      assert.deepEqual(filesIn(check('./sub').stdout), ['sub/linked.go', 'sub/sub.go']);
      assert.deepEqual(filesIn(check('sub/...').stdout), ['sub/deep/deep.go', 'sub/linked.go', 'sub/sub.go']);
      assert.deepEqual(filesIn(check('./sub/...').stdout), ['sub/deep/deep.go', 'sub/linked.go', 'sub/sub.go']);
      // A link to a folder named on the command line is followed, as the go tool does.
      assert.deepEqual(filesIn(check('sublink/...').stdout), ['sublink/deep/deep.go', 'sublink/linked.go', 'sublink/sub.go']);
      // A skipped folder named on the command line is checked, as the go tool does.
      assert.deepEqual(filesIn(check('testdata').stdout), ['testdata/t.go']);
    });

    it('overlapping patterns check each file once, whatever their order', () => {
      const expected = ['sub/deep/deep.go', 'sub/linked.go', 'sub/sub.go'];
      assert.deepEqual(filesIn(check('sub', 'sub/...').stdout), expected);
      assert.deepEqual(filesIn(check('sub/...', 'sub', 'sub/sub.go').stdout), expected);
      assert.match(check('sub', 'sub/...').stderr, /3 findings .* in 3 files/);
    });

    it('a folder alone without Go files exits 2 and points at dir/...; the others are still checked', () => {
      const r = runCli(['check', '--fail-on', 'never', 'nogo', 'sub'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^go-rubric: nogo: no Go files in this folder \(nogo\/\.\.\. checks the folders below it\)$/m);
      assert.deepEqual(filesIn(r.stdout), ['sub/linked.go', 'sub/sub.go']);
    });

    it('a pattern that is not one, or a path that does not exist, exits 2', () => {
      const bad = runCli(['check', 'sub/.../x'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /only a trailing \/\.\.\. is a pattern/);
      assert.equal(bad.stdout, '');
      assert.equal(runCli(['check', 'missing/...'], dir).code, 2);
    });

    it('./... over a tree without Go files warns and exits 0', () => {
      const empty = mkdtempSync(join(tmpdir(), 'gorubric-empty-'));
      try {
        const r = runCli(['check'], empty);
        assert.equal(r.code, 0);
        assert.match(r.stderr, /^go-rubric: warning: \.\/\.\.\. matched no Go files$/m);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('report reads dir/... as dir', () => {
      const r = runCli(['report', 'sub/...'], dir);
      assert.equal(r.code, 0, r.stderr);
      const untimed = (report: string) => report.replace(/, in \d+\.\d s\./, '');
      assert.equal(untimed(r.stdout), untimed(runCli(['report', 'sub'], dir).stdout));
      assert.match(r.stdout, /^3 Go files/m);
    });
  });
});

describe('--rules and --exclude-rules', () => {
  let dir: string;
  before(() => {
    dir = makeModule({ 'wrap.go': WRAP, 'lock.go': LOCK });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const codes = (...args: string[]) => {
    const r = runCli(['check', '--fail-on', 'never', ...args], dir);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean).map((line) => /: (GR\d{3}) /.exec(line)![1]);
  };

  it('run only the rules named by code, name, glob or phase; exclude by the same keys', () => {
    assert.deepEqual(codes(), ['GR201', 'GR101']);
    assert.deepEqual(codes('--rules', 'GR101'), ['GR101']);
    assert.deepEqual(codes('--rules', 'lock-without-defer'), ['GR201']);
    assert.deepEqual(codes('--rules=GR1*,concurrency'), ['GR201', 'GR101']);
    assert.deepEqual(codes('--rules', 'idioms', '--rules', 'GR201'), ['GR201', 'GR101'], 'repeatable: the lists add up');
    assert.deepEqual(codes('--exclude-rules', 'concurrency'), ['GR101']);
    assert.deepEqual(codes('--rules', 'all', '--exclude-rules', 'GR1*'), ['GR201']);
    assert.deepEqual(codes('--rules', 'GR101', '--exclude-rules', 'errorf-wrap-verb'), []);
  });

  it('keep the severity the configuration gives; a rule it turns off stays off', () => {
    writeFileSync(join(dir, '.gorubric.json'), JSON.stringify({ rules: { GR101: 'error', GR201: 'off' } }));
    try {
      const r = runCli(['check', '--rules', 'GR101,GR201'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /1 finding \(1 error\)/);
      assert.deepEqual(codes('--rules', 'GR201'), []);
      assert.deepEqual(codes('--rules', 'GR201', '--rule', 'GR201=warning'), ['GR201'], '--rule turns it back on');
    } finally {
      rmSync(join(dir, '.gorubric.json'));
    }
  });

  it('a key that names no rule, or an empty one, is a usage error', () => {
    for (const args of [['--rules', 'GR999'], ['--rules', 'GR9?9'], ['--exclude-rules', 'nonsense'], ['--rules', 'GR101,'], ['--rules']]) {
      const r = runCli(['check', ...args], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
    assert.match(runCli(['check', '--rules', 'GR999'], dir).stderr, /--rules: unknown rule "GR999"/);
  });
});

describe('--fail-on decides the exit code', () => {
  let dir: string;
  before(() => {
    // One finding of each severity: GR102 set to error, GR201 a warning, GR101 information, GR111 a hint.
    dir = makeModule({
      '.gorubric.json': JSON.stringify({ rules: { GR102: 'error' } }),
      'wrap.go': WRAP,
      'lock.go': LOCK,
      'ret.go': 'package p\n\nimport "os"\n\nfunc read(p string) ([]byte, error) {\n\tb, err := os.ReadFile(p)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn b, nil\n}\n',
      'any.go': 'package p\n\n// Show shows v.\nfunc Show(v interface{}) {\n\t_ = v\n}\n',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('0 below the threshold, 1 at or above it, for every level and every severity found', () => {
    const only = { error: 'GR102', warning: 'GR201', information: 'GR101', hint: 'GR111' } as const;
    const levels = ['error', 'warning', 'information', 'hint', 'never'] as const;
    const rank = (level: string) => levels.indexOf(level as (typeof levels)[number]);
    for (const [severity, code] of Object.entries(only)) {
      const r = runCli(['check', '--rules', code], dir);
      assert.match(r.stderr, new RegExp(`1 finding \\(1 ${severity}\\)`), `${code} is one ${severity} finding`);
      for (const level of levels) {
        const expected = level !== 'never' && rank(severity) <= rank(level) ? 1 : 0;
        assert.equal(runCli(['check', '--fail-on', level, '--rules', code], dir).code, expected, `${severity} finding, --fail-on ${level}`);
      }
    }
    assert.equal(runCli(['check'], dir).code, 1, 'the default level is warning');
    assert.equal(runCli(['check', '--rules', 'GR101,GR111'], dir).code, 0, 'information and hint alone pass by default');
    assert.equal(runCli(['check', '--fail-on', 'error', '--rules', 'GR404'], dir).code, 0, 'no findings');
  });

  it('2 for usage and configuration errors, even with findings', () => {
    for (const args of [['--fail-on', 'sometimes'], ['--format', 'yaml'], ['--jobs', '0'], ['--frobnicate'], ['--config', 'missing.json'], ['--rule', 'GR101']]) {
      const r = runCli(['check', ...args], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    writeFileSync(join(dir, 'sub.json'), '{"rules": {"GR101": "loud"}}');
    try {
      assert.equal(runCli(['check', '--config', 'sub.json', '--fail-on', 'never'], dir).code, 2);
    } finally {
      rmSync(join(dir, 'sub.json'));
    }
  });
});
