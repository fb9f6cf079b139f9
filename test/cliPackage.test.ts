// The command line as an npm package (scripts/cli-package.mjs): packed with only the bundles, the
// grammars, README and LICENSE, installed offline into a project (it has no dependencies), and run
// there with npx on the formats fixture, where it must print exactly what the repository build
// prints. CI also runs it over the Go standard library (`node scripts/cli-package.mjs smoke`).
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { catalog } from '../server/src/rules';
import { repoRoot } from './helpers/goFiles';

const ROOT = repoRoot();
const SCRIPT = join(ROOT, 'scripts', 'cli-package.mjs');
const npmEnv = { ...process.env, GO_RUBRIC_CACHE: 'off', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

describe('the CLI npm package', { timeout: 300_000 }, () => {
  let work: string;
  let tarball: string;
  let project: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gorubric-package-'));
    tarball = execFileSync(process.execPath, [SCRIPT, 'pack', '--no-build', '--out', work], { encoding: 'utf8' }).trim();
    // The formats fixture becomes the project the package is installed into, as a user's module
    // would be: node_modules/ is one of the folders the walk skips.
    project = join(work, 'project');
    cpSync(join(ROOT, 'test', 'fixtures', 'cli-formats', 'workspace'), project, { recursive: true });
    // As test/cliFormats.test.ts sets it up.
    mkdirSync(join(project, '.git'));
    writeFileSync(join(project, 'store', 'blob.go'), Buffer.from([0x70, 0x61, 0x00, 0x01]));
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { install } from ${JSON.stringify(SCRIPT)}; install(${JSON.stringify(tarball)}, ${JSON.stringify(project)});`]);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const npx = (...args: string[]) => {
    const r = spawnSync('npx', ['--offline', 'go-rubric', ...args], { cwd: project, env: npmEnv, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('holds the bundles, the grammars, README and LICENSE, and nothing else', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, [
      'package/LICENSE',
      'package/README.md',
      'package/grammars/tree-sitter-go.wasm',
      'package/grammars/web-tree-sitter.wasm',
      'package/out/cli.js',
      'package/out/cliWorker.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'go-rubric', 'package.json'), 'utf8')) as Record<string, unknown>;
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(manifest.version, version);
    assert.deepEqual(manifest.bin, { 'go-rubric': 'out/cli.js' });
    assert.equal(manifest.dependencies, undefined, 'everything is bundled');
  });

  it('npx go-rubric check prints what the repository build prints, on 1 and 2 workers', () => {
    const expected = join(ROOT, 'test', 'fixtures', 'cli-formats', 'expected');
    for (const jobs of ['1', '2']) {
      const r = npx('check', '--jobs', jobs);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, readFileSync(join(expected, 'text.txt'), 'utf8'));
      assert.equal(r.stderr, readFileSync(join(expected, 'text.stderr.txt'), 'utf8'));
    }
  });

  it('npx go-rubric rules and explain work from the package', () => {
    const rules = npx('rules');
    assert.equal(rules.code, 0, rules.stderr);
    assert.equal(rules.stdout.trim().split('\n').length, catalog.length);
    assert.match(npx('explain', 'GR201').stdout, /^# GR201 lock-without-defer/);
  });
});
