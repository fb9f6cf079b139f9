// The command line as an npm package of its own (the root package.json is the VS Code
// extension's). packages/cli/ holds its manifest and README; this script stages them with the
// built bundles (cli.js and its worker thread, which esbuild made self-contained) and the two wasm
// files they load, and packs the tarball. The package has no dependencies, so it installs offline.
//
//   node scripts/cli-package.mjs pack [--out DIR] [--no-build]
//       builds (unless --no-build), packs go-rubric-<version>.tgz into DIR (default dist/) and
//       prints its path.
//   node scripts/cli-package.mjs smoke [--corpus DIR]
//       packs, installs the tarball into an empty temporary project with `npm install --offline`
//       and runs `npx go-rubric check` there over DIR/... (default: the Go standard library,
//       /usr/share/go-1.19/src), comparing its JSON output with the repository build's. CI runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** npm without the network or its update check: the package has nothing to fetch. */
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

/** Every file of the package (npm adds package.json), and where it comes from in the repository. */
const CONTENTS = {
  'out/cli.js': 'server/out/cli.js',
  'out/cliWorker.js': 'server/out/cliWorker.js',
  'grammars/tree-sitter-go.wasm': 'grammars/tree-sitter-go.wasm',
  'grammars/web-tree-sitter.wasm': 'grammars/web-tree-sitter.wasm',
  'README.md': 'packages/cli/README.md',
  LICENSE: 'LICENSE',
};

/** Stages and packs the package; returns the tarball's path. */
export function pack({ out = join(root, 'dist'), build = true } = {}) {
  if (build) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'));
  const stage = mkdtempSync(join(tmpdir(), 'go-rubric-cli-package-'));
  try {
    for (const [to, from] of Object.entries(CONTENTS)) {
      const source = join(root, from);
      if (!existsSync(source)) throw new Error(`${from} is missing: run node scripts/build.mjs`);
      mkdirSync(dirname(join(stage, to)), { recursive: true });
      copyFileSync(source, join(stage, to));
    }
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
    mkdirSync(out, { recursive: true });
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', resolve(out)], { cwd: stage, env: npmEnv, encoding: 'utf8' }));
    return join(resolve(out), packed[0].filename);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Installs the tarball into `dir` (made a project if it is not one) without the network. */
export function install(tarball, dir) {
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  execFileSync(npm, ['install', '--offline', '--no-save', tarball], { cwd: dir, env: npmEnv, stdio: ['ignore', 'ignore', 'inherit'] });
}

function smoke(corpus) {
  const work = mkdtempSync(join(tmpdir(), 'go-rubric-cli-smoke-'));
  try {
    const tarball = pack({ out: work, build: !existsSync(join(root, 'server', 'out', 'cli.js')) });
    const project = join(work, 'project');
    mkdirSync(project);
    install(tarball, project);
    const args = ['check', '--no-cache', '--fail-on', 'never', '--format', 'json', `${corpus}/...`];
    const started = performance.now();
    const packaged = spawnSync(npx, ['--offline', 'go-rubric', ...args], { cwd: project, env: npmEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (packaged.status !== 0) throw new Error(`npx go-rubric exited ${packaged.status}: ${packaged.stderr.slice(0, 2000)}`);
    const built = spawnSync(process.execPath, [join(root, 'server', 'out', 'cli.js'), ...args], { cwd: project, encoding: 'utf8', maxBuffer: 1 << 30 });
    const result = JSON.parse(packaged.stdout);
    if (packaged.stdout !== built.stdout) throw new Error('the installed package and the repository build disagree');
    console.log(`cli package: ${tarball.slice(work.length + 1)} installed offline; npx go-rubric check ${corpus}/...: ${result.files} files, ${result.findings.length} findings in ${seconds} s, as the repository build`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...rest] = process.argv.slice(2);
  const option = (name) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  if (command === 'pack') {
    console.log(pack({ out: option('--out') ?? join(root, 'dist'), build: !rest.includes('--no-build') }));
  } else if (command === 'smoke') {
    smoke(resolve(option('--corpus') ?? '/usr/share/go-1.19/src'));
  } else {
    console.error('usage: node scripts/cli-package.mjs pack [--out DIR] [--no-build] | smoke [--corpus DIR]');
    process.exit(2);
  }
}
