// Layer 1 of the end-to-end tests: the packaged .vsix, installed into code-server (VS Code in the
// browser), with test/e2e/extensionHost/index.ts run inside the real extension host through VS
// Code's extension-test hook. This file sets the stage and reports; the assertions live in the
// test module (built to test/e2e/out/extensionHost/index.js by `node scripts/build.mjs --e2e`).
//
// The hook: code-server rejects --extensionDevelopmentPath/--extensionTestsPath, but with
// `--vscode-option enable-smoke-test-driver` the workbench reads them from the `payload` query
// parameter. extensionDevelopmentPath points at the folder code-server installed the .vsix into,
// so the packaged extension is what runs. The test module's outcome reaches the page as a call to
// window.codeAutomationExit(code, logs); the extension host is stopped right after.
//
// GO_RUBRIC_E2E_VSIX=path tests another .vsix (for example one broken on purpose) instead of
// go-rubric.vsix; GO_RUBRIC_E2E_KEEP=1 keeps the sandbox folder even when the test passes.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { installedExtensionDir, installVsix, launchChromium, makeSandbox, startCodeServer } from './codeServer.mjs';
import { ensureTools, ROOT } from './tools.mjs';

const VSIX = process.env.GO_RUBRIC_E2E_VSIX ?? join(ROOT, 'go-rubric.vsix');
const TEST_MODULE = join(ROOT, 'test', 'e2e', 'out', 'extensionHost', 'index.js');
/** Bound for the whole in-host run: workbench load, activation, every step. It takes ~5 s. */
const RUN_TIMEOUT_MS = 120_000;
/** Bound for the test module's first line of progress after the page starts loading. */
const START_TIMEOUT_MS = 60_000;
const MARK = '[go-rubric e2e';
/** Lines shown from the end of each server log in a failure report. */
const LOG_TAIL = 150;

const log = (message) => process.stderr.write(`[e2e vscode] ${message}\n`);

/** Every file under dir whose name matches, depth first. */
function findFiles(dir, match) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, match));
    else if (match(name, path)) found.push(path);
  }
  return found;
}

/** The server-side logs that explain a failure: extension host, Go Rubric's output channel, remote agent. */
function serverLogs(userData) {
  const logs = findFiles(join(userData, 'logs'), (name, path) => /exthost\d*\.log$|remoteagent\.log$/.test(name) || /go-rubric/i.test(path));
  return logs
    .map((path) => {
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      const shown = lines.length > LOG_TAIL ? [`(first ${lines.length - LOG_TAIL} lines left out)`, ...lines.slice(-LOG_TAIL)] : lines;
      return `----- ${relative(userData, path)} -----\n${shown.join('\n') || '(empty)'}`;
    })
    .join('\n');
}

/** The first error lines of the extension's own output channel ("Go Rubric"), stack frames left out. */
function outputChannelErrors(userData) {
  const files = findFiles(join(userData, 'logs'), (name, path) => name === 'Go Rubric.log' && path.includes('go-rubric.go-rubric'));
  const lines = files
    .flatMap((path) => readFileSync(path, 'utf8').split('\n'))
    .filter((line) => /\[error\]|^\s*(Message|Code):/.test(line))
    .map((line) => line.replace(/^\S+ \S+ \[error\] ?/, '').trimEnd())
    .filter((line) => line.trim() && !/^\s*at /.test(line))
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}...` : line));
  return [...new Set(lines)].slice(0, 10).map((line) => `  | ${line}`).join('\n');
}

test('VS Code extension host: the packaged extension, driven through the vscode API', { timeout: RUN_TIMEOUT_MS + 120_000 }, async () => {
  const t0 = Date.now();
  const tools = ensureTools();
  assert.ok(existsSync(VSIX), `no extension package at ${VSIX}: run \`npm run package\` first (\`npm run test:e2e\` does)`);
  assert.ok(
    existsSync(TEST_MODULE),
    `no extension-host test module at ${TEST_MODULE}: run \`node scripts/build.mjs --e2e\` first (\`npm run test:e2e\` does)`,
  );

  const sandbox = makeSandbox('vscode');
  let server;
  let browser;
  let page;
  let liveScreenshot; // a promise of its path, once the test module reported a failure
  let passed = false;
  const consoleLines = [];
  try {
    const workspace = join(sandbox.dir, 'workspace');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    installVsix(tools, VSIX, sandbox.extensions);
    const extensionDir = installedExtensionDir(sandbox.extensions);
    log(`sandbox ${sandbox.dir}; ${relative(ROOT, VSIX) || VSIX} installed at ${extensionDir}`);
    // The extension host inherits code-server's environment: the test module checks that the
    // extension it talks to runs from this folder.
    process.env.GO_RUBRIC_E2E_INSTALLED_DIR = extensionDir;

    server = await startCodeServer(tools, sandbox, { smokeTestDriver: true });
    browser = await launchChromium(tools);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The extension host's console output is forwarded to the page console in extension
    // development mode; keep it for the failure report.
    // The forwarded lines carry CSS for DevTools ("%c ... color: #f33"): drop it.
    let onStart;
    const moduleStarted = new Promise((resolve) => (onStart = resolve));
    page.on('console', (message) => {
      const line = `[${message.type()}] ${message.text().replace(/%c\s*(\w+\s+)?color: #[0-9a-f]+;?\s*/gi, '$1')}`;
      consoleLines.push(line);
      if (line.includes(MARK)) onStart();
      // The test module waits a moment after reporting a failure: catch the workbench while the
      // extension host (and its diagnostics) is still there.
      if (line.includes(`${MARK}] FAILED`) && !liveScreenshot) {
        const path = join(sandbox.dir, 'failure-at-step.png');
        liveScreenshot = page.screenshot({ path, timeout: 5_000 }).then(
          () => path,
          (error) => `(not taken: ${error.message})`,
        );
      }
    });
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));

    let onExit;
    const exited = new Promise((resolve) => (onExit = resolve));
    // Must exist before the workbench loads: it looks the function up when the extension host ends.
    await page.exposeFunction('codeAutomationExit', (code) => {
      onExit({ code });
    });

    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(TEST_MODULE)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const navigated = Date.now();
    const within = async (promise, ms) => {
      let timer;
      const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
      try {
        return await Promise.race([promise, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    };
    // A module that never starts (payload ignored, wrong path) should not cost the whole bound.
    if ((await within(Promise.race([moduleStarted, exited]), START_TIMEOUT_MS)) === 'timeout') {
      assert.fail(
        `the extension-host test module did not start within ${START_TIMEOUT_MS / 1000} s of opening the workbench ` +
          `(no "${MARK}" line in the page console): the workbench ignored the payload's extensionTestsPath ` +
          '(is code-server running with --vscode-option enable-smoke-test-driver?) or the extension host did not start',
      );
    }
    const result = await within(exited, RUN_TIMEOUT_MS - (Date.now() - navigated));

    const ours = consoleLines.filter((line) => line.includes(MARK));
    if (result === 'timeout') {
      assert.fail(
        `the extension-host test module did not finish within ${RUN_TIMEOUT_MS / 1000} s (window.codeAutomationExit was never called)\n` +
          `  last progress: ${ours.at(-1) ?? 'none: the test module never started (payload ignored? smoke-test driver off?)'}`,
      );
    }
    if (result.code !== 0) {
      const failure = consoleLines
        .filter((line) => line.includes(`${MARK}] FAILED`))
        .map((line) => line.slice(line.indexOf(`${MARK}] FAILED`) + `${MARK}] FAILED `.length))
        .join('\n');
      const channel = outputChannelErrors(sandbox.userData);
      assert.fail(
        `the extension-host test module failed (exit code ${result.code})\n` +
          (failure || `  no failure message from the test module; its last progress: ${ours.at(-1) ?? 'none: it never started'}`) +
          (channel ? `\nerrors in the Go Rubric output channel:\n${channel}` : '\n(no errors in the Go Rubric output channel)'),
      );
    }
    passed = true;
    log(`passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    // Everything that helps to see why: the page, the in-host progress, the server-side logs.
    process.stderr.write(`\n===== page console (extension host output included) =====\n${consoleLines.join('\n') || '(empty)'}\n`);
    process.stderr.write(`\n===== server logs under ${sandbox.userData} =====\n${serverLogs(sandbox.userData) || '(none)'}\n`);
    if (server) process.stderr.write(`\n===== code-server output =====\n${server.logs() || '(empty)'}\n`);
    if (liveScreenshot) process.stderr.write(`\nscreenshot when the step failed: ${await liveScreenshot}\n`);
    if (page) {
      const screenshot = join(sandbox.dir, 'failure.png');
      try {
        await page.screenshot({ path: screenshot, timeout: 10_000 });
        process.stderr.write(`screenshot at the end: ${screenshot}\n`);
      } catch (shotError) {
        process.stderr.write(`\nno screenshot: ${shotError.message}\n`);
      }
    }
    process.stderr.write(`sandbox kept for inspection: ${sandbox.dir}\n`);
    throw error;
  } finally {
    writeFileSync(join(sandbox.dir, 'page-console.log'), `${consoleLines.join('\n')}\n`);
    await browser?.close().catch(() => {});
    await server?.stop();
    if (passed && process.env.GO_RUBRIC_E2E_KEEP !== '1') sandbox.cleanup();
  }
});
