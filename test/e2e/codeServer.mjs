// Starts code-server (VS Code in the browser) for one test, in its own process group with fresh
// user-data and extensions folders, and stops the whole group afterwards: killing only its PID
// would leave extension hosts and language servers running.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Settings that keep the workbench quiet and fast for tests (E2E.md). */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh folder tree for one code-server run: user data, extensions, and a copy of a workspace. */
export function makeSandbox(prefix, settings = {}) {
  const dir = mkdtempSync(join(tmpdir(), `go-rubric-e2e-${prefix}-`));
  const userData = join(dir, 'data');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return { dir, userData, extensions, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Installs a .vsix into an extensions folder with code-server's own installer. */
export function installVsix(tools, vsix, extensionsDir) {
  execFileSync(tools.node24, [tools.codeServer, '--install-extension', vsix, '--extensions-dir', extensionsDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

/**
 * Starts code-server and waits until /healthz answers. Returns its URL, a log reader and stop(),
 * which ends the whole process group and waits for it.
 */
export async function startCodeServer(tools, sandbox, { smokeTestDriver = false } = {}) {
  const port = await freePort();
  const logFile = join(sandbox.dir, 'code-server.log');
  const args = [
    tools.codeServer,
    '--config', '/dev/null',
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
  ];
  // The workbench reads the extension-test payload only with the smoke-test driver enabled.
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const out = [];
  const child = spawn(tools.node24, args, {
    detached: true, // its own process group, so stop() reaches every child
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${join(tools.node24, '..')}:${process.env.PATH}` },
  });
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => out.push(d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const logs = () => Buffer.concat(out).toString('utf8');

  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const killed = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!killed) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone between the two signals
      }
      await exited;
    }
    // Children that ignored SIGTERM (extension hosts, language servers) share the group.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
    writeFileSync(logFile, logs());
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready:\n${logs()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within 60 s:\n${logs()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, stop, logs };
}

/** Launches Debian's Chromium through playwright-core with the flags this machine needs (E2E.md). */
export async function launchChromium(tools) {
  // playwright-core's index.js is CommonJS with no static named exports: take chromium off the default.
  const playwright = await import(pathToFileURL(tools.playwright).href);
  const chromium = playwright.chromium ?? playwright.default.chromium;
  return chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The installed extension's folder inside an extensions dir. */
export function installedExtensionDir(extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8'));
  const entry = manifest.find((e) => e.identifier?.id === 'go-rubric.go-rubric');
  if (!entry) throw new Error(`go-rubric.go-rubric is not installed in ${extensionsDir}`);
  return entry.location?.path ?? join(extensionsDir, entry.relativeLocation);
}
