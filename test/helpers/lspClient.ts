// A tiny LSP client for tests: JSON-RPC 2.0 over a child process's stdio with Content-Length
// framing. It answers the server's requests through registered handlers (unknown methods get a
// MethodNotFound error), keeps every notification it receives so a test can wait for one that
// arrived before or after a point, and puts a timeout on every wait so a test fails instead of
// hanging.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** An LSP range as tests compare it. */
interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** The parts of an LSP diagnostic the tests read. */
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  codeDescription?: { href: string };
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}

export interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface ReceivedNotification {
  /** Position in the order of all notifications received (see LspClient.mark). */
  seq: number;
  method: string;
  params: unknown;
}

export interface ServerRequest {
  method: string;
  params: unknown;
}

export class ResponseError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

type RequestHandler = (params: unknown) => unknown;

interface Waiter {
  method: string;
  after: number;
  predicate: (params: unknown) => boolean;
  resolve: (n: ReceivedNotification) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Splits a byte stream into JSON-RPC messages framed with Content-Length headers. */
export class MessageReader {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (message: Message) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const headers = this.buffer.subarray(0, headerEnd).toString('ascii').split('\r\n');
      let length = -1;
      for (const header of headers) {
        const match = /^content-length:\s*(\d+)\s*$/i.exec(header);
        if (match) length = Number(match[1]);
      }
      if (length < 0) throw new Error(`message without Content-Length: ${JSON.stringify(headers)}`);
      const start = headerEnd + 4;
      // Content-Length counts bytes of UTF-8, not characters.
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.onMessage(JSON.parse(body) as Message);
    }
  }
}

export function frame(message: Message): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

export class LspClient {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly waiters = new Set<Waiter>();
  private readonly exitWaiters = new Set<(code: number | null) => void>();
  /** Every notification received, in order. */
  readonly notifications: ReceivedNotification[] = [];
  /** Every request the server sent, in order. */
  readonly serverRequests: ServerRequest[] = [];
  /** Requests the server sent that no handler answered. */
  readonly unhandledRequests: ServerRequest[] = [];
  /** Everything the server wrote to stderr. */
  stderr = '';
  exitCode: number | null | undefined = undefined;
  private readonly process: ChildProcessWithoutNullStreams;

  constructor(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.process = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    const reader = new MessageReader((m) => this.dispatch(m));
    this.process.stdout.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.failAll(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.process.on('error', (error) => this.failAll(error));
    // 'close' (not 'exit'): it comes after stdout has been drained, so no response is lost.
    this.process.on('close', (code, signal) => {
      this.exitCode = code;
      this.failAll(new Error(`server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`));
      for (const waiter of this.exitWaiters) waiter(code);
      this.exitWaiters.clear();
    });
    // A write to a dead server must fail the request, not crash the test process.
    this.process.stdin.on('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Answers the server's requests for `method` (the handler's result is the response). */
  onRequest(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
  }

  request<R = unknown>(method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<R> {
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
    });
    this.write({ jsonrpc: '2.0', id, method, params });
    return withTimeout(promise, timeoutMs, `response to ${method} (id ${id})`, () => this.pending.delete(id)) as Promise<R>;
  }

  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** The params of the notifications for `method` received since `after` (a mark), in order. */
  notificationsSince(after: number, method: string): unknown[] {
    return this.notifications.filter((n) => n.seq >= after && n.method === method).map((n) => n.params);
  }

  /** A marker: waitForNotification(..., { after: mark }) ignores notifications received before it. */
  mark(): number {
    return this.notifications.length;
  }

  /**
   * The first notification for `method` (received after `after`, default: any) that satisfies the
   * predicate; waits for it when none has arrived yet.
   */
  waitForNotification<P = unknown>(
    method: string,
    predicate: (params: P) => boolean = () => true,
    options: { after?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<P> {
    const after = options.after ?? 0;
    const test = predicate as (params: unknown) => boolean;
    const found = this.notifications.find((n) => n.seq >= after && n.method === method && test(n.params));
    if (found) return Promise.resolve(found.params as P);
    let waiter: Waiter | undefined;
    const promise = new Promise<ReceivedNotification>((resolve) => {
      waiter = { method, after, predicate: test, resolve };
      this.waiters.add(waiter);
    });
    const what = options.what ?? method;
    return withTimeout(promise, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, `${what}; received so far:\n${this.describeNotifications(method, after)}`, () => {
      if (waiter) this.waiters.delete(waiter);
    }).then((n) => n.params as P);
  }

  /** Resolves with the exit code once the server process ends. */
  waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    if (this.exitCode !== undefined) return Promise.resolve(this.exitCode);
    let waiter: ((code: number | null) => void) | undefined;
    const promise = new Promise<number | null>((resolve) => {
      waiter = resolve;
      this.exitWaiters.add(resolve);
    });
    return withTimeout(promise, timeoutMs, 'server exit', () => {
      if (waiter) this.exitWaiters.delete(waiter);
    });
  }

  /** Kills the server if it is still running (for cleanup after a failed test). */
  kill(): void {
    if (this.exitCode === undefined && this.process.exitCode === null) this.process.kill();
  }

  private describeNotifications(method: string, after: number): string {
    const relevant = this.notifications.filter((n) => n.method === method && n.seq >= after);
    if (relevant.length === 0) return `  (no ${method} notifications)`;
    return relevant.map((n) => `  #${n.seq} ${JSON.stringify(n.params).slice(0, 600)}`).join('\n');
  }

  private write(message: Message): void {
    if (this.exitCode !== undefined) throw new Error(`cannot send ${message.method ?? 'a response'}: the server has exited`);
    this.process.stdin.write(frame(message));
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      void this.answer(message.id, message.method, message.params);
      return;
    }
    if (message.method !== undefined) {
      const received: ReceivedNotification = { seq: this.notifications.length, method: message.method, params: message.params };
      this.notifications.push(received);
      for (const waiter of [...this.waiters]) {
        if (waiter.method === received.method && received.seq >= waiter.after && waiter.predicate(received.params)) {
          this.waiters.delete(waiter);
          waiter.resolve(received);
        }
      }
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new ResponseError(message.error.code, `${pending.method}: ${message.error.message}`, message.error.data));
    else pending.resolve(message.result ?? null);
  }

  private async answer(id: number | string, method: string, params: unknown): Promise<void> {
    this.serverRequests.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) {
      this.unhandledRequests.push({ method, params });
      this.safeWrite({ jsonrpc: '2.0', id, error: { code: -32601, message: `test client does not handle ${method}` } });
      return;
    }
    try {
      const result = await handler(params);
      this.safeWrite({ jsonrpc: '2.0', id, result: result ?? null });
    } catch (error) {
      this.safeWrite({ jsonrpc: '2.0', id, error: { code: -32603, message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private safeWrite(message: Message): void {
    if (this.exitCode === undefined) this.process.stdin.write(frame(message));
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(error);
    }
  }
}

/** Rejects with a clear message when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the built server over stdio, initialized: it pulls `settings()` for the goRubric section
 * (null for other sections), and client registrations and progress tokens are accepted.
 * `initialize` adds to the parameters (capabilities, workspace folders).
 */
export async function startStdioServer(
  serverJs: string,
  options: { settings?: () => unknown; initialize?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): Promise<LspClient> {
  const client = new LspClient(process.execPath, [serverJs, '--stdio'], { env: options.env });
  const settings = options.settings ?? (() => ({}));
  client.onRequest('workspace/configuration', (params) =>
    (params as { items: { section?: string }[] }).items.map((i) => (i.section === 'goRubric' ? structuredClone(settings()) : null)),
  );
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, ...options.initialize });
  client.notify('initialized', {});
  return client;
}
