// A minimal LSP client for the benchmarks: JSON-RPC 2.0 over the server's stdio with
// Content-Length framing (the same protocol as test/helpers/lspClient.ts, in plain .mjs so the
// benchmarks need no build step). It answers the server's requests (workspace/configuration with
// the given settings, everything else with null) and lets a caller wait for one
// publishDiagnostics by uri and version with a timeout.
import { spawn } from 'node:child_process';

/**
 * Variables the VS Code client leaves out of the server's environment (client/src/serverEnvironment.ts:
 * NODE_EXTRA_CA_CERTS makes Node parse a certificate bundle at boot, ~70 ms, that the server never uses).
 */
export const VARIABLES_THE_CLIENT_DROPS = ['NODE_EXTRA_CA_CERTS'];

/**
 * Node options the VS Code client starts the server with (client/src/serverEnvironment.ts,
 * SERVER_NODE_OPTIONS: one V8 platform thread; test/serverEnvironment.test.ts checks they agree).
 */
export const NODE_OPTIONS_THE_CLIENT_PASSES = ['--v8-pool-size=1'];

/** The environment the VS Code client starts the server with: this one, minus VARIABLES_THE_CLIENT_DROPS. */
export function editorEnvironment(env = process.env) {
  const result = { ...env };
  for (const name of VARIABLES_THE_CLIENT_DROPS) delete result[name];
  return result;
}

export class LspServer {
  /**
   * @param {string} serverJs path of server/out/server.js
   * @param {{ settings?: object, env?: NodeJS.ProcessEnv, nodeOptions?: string[], onNotification?: (method: string, params: any) => void }} [options]
   *   env: the server's environment; by default the one the VS Code client gives it (editorEnvironment())
   *   nodeOptions: Node's options for the server; by default the ones the VS Code client passes
   */
  constructor(serverJs, options = {}) {
    this.settings = options.settings ?? { enable: true, rules: {} };
    this.nextId = 1;
    this.pending = new Map();
    /** uri -> { version, resolve, reject, timer } */
    this.publishWaiters = new Map();
    /** uri -> latest published params (kept for waits that start after the publish arrived) */
    this.lastPublish = new Map();
    this.stderr = '';
    this.exited = false;
    this.buffer = Buffer.alloc(0);
    const nodeOptions = options.nodeOptions ?? NODE_OPTIONS_THE_CLIENT_PASSES;
    this.child = spawn(process.execPath, [...nodeOptions, serverJs, '--stdio'], { env: options.env ?? editorEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
    this.child.stderr.on('data', (chunk) => {
      if (this.stderr.length < 200_000) this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.on('error', () => undefined);
    this.child.on('close', (code, signal) => {
      this.exited = true;
      const error = new Error(`server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr.slice(-2000)}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const w of this.publishWaiters.values()) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      this.publishWaiters.clear();
    });
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const match = /content-length:\s*(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!match) throw new Error('LSP message without Content-Length');
      const start = headerEnd + 4;
      const end = start + Number(match[1]);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(start, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      this.dispatch(JSON.parse(body));
    }
  }

  dispatch(message) {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      // A request from the server.
      let result = null;
      if (message.method === 'workspace/configuration') {
        result = (message.params?.items ?? []).map(() => this.settings);
      }
      this.write({ jsonrpc: '2.0', id: message.id, result });
      return;
    }
    if (message.method !== undefined) {
      if (message.method === 'textDocument/publishDiagnostics') this.onPublish(message.params);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
    else pending.resolve(message.result);
  }

  onPublish(params) {
    const now = performance.now();
    this.lastPublish.set(params.uri, { params, at: now });
    const waiter = this.publishWaiters.get(params.uri);
    if (waiter && params.version === waiter.version) {
      this.publishWaiters.delete(params.uri);
      clearTimeout(waiter.timer);
      waiter.resolve({ params, at: now });
    }
  }

  write(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the response to ${method}`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /**
   * Resolves with { params, at } (at: performance.now() on arrival) when diagnostics for `uri`
   * with exactly `version` are published. Register the wait before sending the change.
   */
  waitForPublish(uri, version, timeoutMs, what = 'publishDiagnostics') {
    if (this.exited) return Promise.reject(new Error(`server has exited; stderr:\n${this.stderr.slice(-2000)}`));
    const last = this.lastPublish.get(uri);
    if (last && last.params.version === version) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.publishWaiters.delete(uri);
        const seen = this.lastPublish.get(uri);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} of ${uri} version ${version}` +
              ` (last published version for it: ${seen ? seen.params.version : 'none'})`,
          ),
        );
      }, timeoutMs);
      this.publishWaiters.set(uri, { version, resolve, reject, timer });
    });
  }

  async initialize(rootUri = null) {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
        window: { workDoneProgress: true },
      },
      workspaceFolders: null,
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri, text, version = 1) {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
  }

  change(uri, version, range, text) {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri) {
    this.lastPublish.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  async shutdown(timeoutMs = 5000) {
    if (this.exited) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit');
    } catch {
      /* killed below */
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await closed;
    clearTimeout(timer);
  }
}
