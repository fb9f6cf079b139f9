// The workspace package index: a folder's files grouped by package, each file's view of the
// others; the CLI's lazy reading from disk; and, through the real stdio server, an index kept
// current from file events and open buffers, re-checking the open documents of a folder whose
// package changed.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { GoModLocator } from '../server/src/analysis/goModLocator';
import { DiskPackages, FolderIndex, importedFolder, indexFolder } from '../server/src/analysis/packageIndex';
import { AMBIGUOUS, summarizeFile } from '../server/src/engine/packageSummary';
import { importedKey, libraryKey, PackageView } from '../server/src/engine/packageView';
import { WorkspacePackages } from '../server/src/lsp/packageIndexer';
import { repoRoot } from './helpers/goFiles';
import { LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const TIMEOUT_MS = 20_000;

const iface = (name: string, methods: string[]) => `package p\n\ntype ${name} interface {\n${methods.map((m) => `\t${m}()\n`).join('')}}\n`;
const BIG = 'package p\n\n// Base is declared in base.go.\ntype Big interface {\n\tBase\n\tD()\n\tE()\n}\n';

describe('package index', () => {
  it('answers for the other files of the same package only', () => {
    const folder = new FolderIndex('/w');
    folder.set('/w/a.go', summarizeFile('package p\n\nfunc Open() (int, error) { return 0, nil }\n'));
    folder.set('/w/b.go', summarizeFile('package p\n\ntype T struct{}\n'));
    folder.set('/w/b_test.go', summarizeFile('package p_test\n\ntype T interface{}\n'));
    folder.set('/w/os_linux.go', summarizeFile('package p\n\nfunc sys() error { return nil }\n'));
    folder.set('/w/os_windows.go', summarizeFile('package p\n\nfunc sys() (int, error) { return 0, nil }\n'));
    const fromA = folder.externalFor('/w/a.go', 'p');
    assert.equal(fromA.get('f:Open'), undefined, "a file's own declarations come from its text, not the index");
    assert.equal(fromA.get('t:T'), 's', 'the external test package is another package');
    assert.equal(fromA.get('f:sys'), AMBIGUOUS, 'two files that disagree (build constraints) give no answer');
    assert.equal(folder.externalFor('/w/b.go', 'p').get('f:Open'), '.e');
    assert.equal(folder.externalFor('/w/x_test.go', 'p_test').get('t:T'), 'i|');
    // The key tells views apart: it changes with every change to the folder's other files, and only then.
    const key = fromA.key;
    assert.equal(folder.set('/w/b.go', summarizeFile('package p\n\ntype T struct{}\n')), false);
    assert.equal(folder.externalFor('/w/a.go', 'p').key, key);
    assert.equal(folder.set('/w/a.go', summarizeFile('package p\n\nfunc Open() error { return nil }\n')), true);
    assert.equal(folder.externalFor('/w/a.go', 'p').key, key, "a.go's own change is not in its view");
    assert.equal(folder.set('/w/b.go', summarizeFile('package p\n\ntype T interface{}\n')), true);
    assert.notEqual(folder.externalFor('/w/a.go', 'p').key, key);
    // Answers follow changes once the index is built (it is updated file by file).
    assert.equal(folder.externalFor('/w/a.go', 'p').get('t:T'), 'i|');
    assert.equal(folder.externalFor('/w/b.go', 'p').get('f:Open'), 'e', "a.go's new Open");
    assert.equal(folder.delete('/w/os_windows.go'), true);
    assert.equal(fromA.get('f:sys'), 'e', 'one declaration left');
    assert.equal(folder.delete('/w/os_linux.go'), true);
    assert.equal(fromA.get('f:sys'), undefined);
  });

  it('reads a folder from disk when a rule first asks (the CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-index-'));
    try {
      writeFileSync(join(dir, 'base.go'), iface('Base', ['A', 'B', 'C']));
      writeFileSync(join(dir, 'big.go'), BIG);
      assert.equal(indexFolder(dir).size, 2);
      const external = new DiskPackages().forFile(join(dir, 'big.go'), 'p')!;
      assert.equal(external.get('t:Base'), 'iA,B,C|');
      assert.equal(external.get('t:Big'), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers about another package by import path: the module's, or a GOPATH-style tree's (the CLI)", () => {
    const root = mkdtempSync(join(tmpdir(), 'gorubric-imports-'));
    try {
      const desc = join(root, 'm', 'internal', 'desc');
      mkdirSync(desc, { recursive: true });
      mkdirSync(join(root, 'm', 'use'));
      writeFileSync(join(root, 'm', 'go.mod'), 'module example.com/m\n\ngo 1.19\n');
      writeFileSync(join(desc, 'desc.go'), 'package desc\n\nimport "sync"\n\ntype Field struct{ once sync.Once }\n');
      writeFileSync(join(desc, 'more.go'), 'package desc\n\ntype Plain struct{ n int }\n');
      // A generator beside the library, and a test double: neither is what an import names.
      writeFileSync(join(desc, 'gen.go'), '//go:build ignore\n\npackage main\n\ntype Field struct{}\n');
      writeFileSync(join(desc, 'desc_test.go'), 'package desc\n\ntype Field struct{}\n');
      const lib = join(root, 'gopath', 'src', 'host.example', 'lib');
      mkdirSync(lib, { recursive: true });
      writeFileSync(join(lib, 'lib.go'), 'package lib\n\ntype T struct{ n int }\n');
      const disk = new DiskPackages();
      const use = disk.forFile(join(root, 'm', 'use', 'use.go'), 'use')!;
      assert.equal(use.get(importedKey('example.com/m/internal/desc', 'k:Field')), '!');
      assert.equal(use.get(importedKey('example.com/m/internal/desc', 'k:Plain')), '');
      assert.equal(use.get(importedKey('example.com/m/missing', 'k:Field')), undefined);
      assert.equal(use.get(importedKey('example.com/other/desc', 'k:Field')), undefined, 'other modules are not searched');
      assert.equal(use.get('k:Field'), undefined, "the file's own package is another question");
      const app = join(root, 'gopath', 'src', 'host.example', 'app', 'app.go');
      assert.equal(disk.forFile(app, 'app')!.get(importedKey('host.example/lib', 'k:T')), '');
      assert.equal(importedFolder(app, 'host.example/lib', new GoModLocator()), lib);
      assert.equal(importedFolder(app, 'host.example/none', new GoModLocator()), undefined);
      assert.equal(importedFolder(join(root, 'elsewhere', 'x.go'), 'host.example/lib', new GoModLocator()), undefined, 'no module, no src folder above');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("answers a libraryKey from the package's files that are not tests, without reading its test files", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-library-'));
    try {
      const lib = 'package p\n\nimport "sync"\n\ntype L struct{ mu sync.Mutex }\n';
      const helper = 'package p\n\nimport "sync"\n\ntype T struct{ mu sync.Mutex }\n';
      writeFileSync(join(dir, 'a.go'), lib);
      writeFileSync(join(dir, 'b_test.go'), helper);
      writeFileSync(join(dir, 'c_test.go'), 'package p\n');
      const disk = new DiskPackages();
      const fromTest = disk.forFile(join(dir, 'c_test.go'), 'p')!;
      assert.equal(fromTest.get(libraryKey('k:L')), '!');
      assert.equal(fromTest.get(libraryKey('k:T')), undefined, "a test file's struct is not the library's");
      assert.equal(disk.takeText(join(dir, 'b_test.go')), undefined, 'the test files were not read');
      assert.equal(fromTest.get('k:T'), '!', 'a plain key reads them');
      assert.equal(disk.takeText(join(dir, 'b_test.go')), helper);
      // The file's own declarations answer it too, as they answer the plain key.
      const view = new PackageView(new Map([['k:T', '!']]), fromTest);
      assert.equal(view.get(libraryKey('k:T')), '!');
      assert.equal(view.get(libraryKey('k:L')), '!');
      const folder = indexFolder(dir);
      assert.equal(folder.externalFor(join(dir, 'c_test.go'), 'p').get(libraryKey('k:T')), undefined, 'the same in the editor');
      assert.equal(folder.externalFor(join(dir, 'c_test.go'), 'p').get('k:T'), '!');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the texts it read to the checker once each, never the asking file, nor invalid UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-texts-'));
    try {
      const base = iface('Base', ['A']);
      writeFileSync(join(dir, 'a.go'), 'package p\n\nfunc A() error { return nil }\n');
      writeFileSync(join(dir, 'base.go'), base);
      writeFileSync(join(dir, 'latin1.go'), Buffer.from('package p\n\n// caf\xe9\nfunc L() error { return nil }\n', 'latin1'));
      writeFileSync(join(dir, 'b_test.go'), 'package p\n\nfunc helper() error { return nil }\n');
      const disk = new DiskPackages();
      assert.equal(disk.takeText(join(dir, 'base.go')), undefined, 'nothing before a rule asks');
      assert.equal(disk.forFile(join(dir, 'a.go'), 'p')!.get('f:L'), 'e', 'invalid UTF-8 is still summarised');
      assert.equal(disk.takeText(join(dir, 'base.go')), base);
      assert.equal(disk.takeText(join(dir, 'base.go')), undefined, 'handed out once');
      assert.equal(disk.takeText(join(dir, 'a.go')), undefined, 'the asking file was read by the checker already');
      assert.equal(disk.takeText(join(dir, 'latin1.go')), undefined, 'left to the checker, which reports it');
      assert.equal(disk.takeText(join(dir, 'b_test.go')), undefined, 'test files are read when a test file asks');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the checked file its own summary as read from disk, only for that very text, once", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-own-'));
    try {
      const a = 'package p\n\nimport "sync"\n\ntype A struct{ mu sync.Mutex }\n\nfunc (A) Error() string { return "" }\n';
      const b = 'package p\n\nfunc B() error { return nil }\n';
      writeFileSync(join(dir, 'a.go'), a);
      writeFileSync(join(dir, 'b.go'), b);
      const disk = new DiskPackages();
      // The first file of a folder: its folder is read for it, itself included.
      const own = disk.forFile(join(dir, 'a.go'), 'p')!.fileSummary!(a);
      assert.deepEqual(own, summarizeFile(a).entries);
      assert.equal(disk.forFile(join(dir, 'a.go'), 'p')!.fileSummary!(a), undefined, 'once');
      // A file whose text the index handed out.
      assert.equal(disk.takeText(join(dir, 'b.go')), b);
      assert.equal(disk.forFile(join(dir, 'b.go'), 'p')!.fileSummary!(`${b}\nfunc C() {}\n`), undefined, 'not for another text (check --fix)');
      assert.equal(disk.takeText(join(dir, 'b.go')), undefined);
      assert.equal(disk.forFile(join(dir, 'b.go'), 'p')!.fileSummary!(b), undefined, 'the mismatch used it up');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("package index reader: the server's thread takes over", () => {
  const cases: [string, (dir: string) => string][] = [
    ['when the reader thread cannot start (no worker script)', (dir) => join(dir, 'missing', 'indexWorker.js')],
    ['when the reader thread exits', (dir) => {
      const script = join(dir, 'exits.js');
      writeFileSync(script, 'process.exit(3);\n');
      return script;
    }],
  ];
  for (const [what, scriptIn] of cases) {
    it(what, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gorubric-reader-'));
      const pkg = join(dir, 'pkg');
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'base.go'), iface('Base', ['A', 'B', 'C']));
      const logs: string[] = [];
      const changed: string[] = [];
      const packages = new WorkspacePackages((m) => logs.push(m), (d) => changed.push(d), scriptIn(dir));
      try {
        assert.equal(packages.forFile(join(pkg, 'big.go'), 'p'), undefined, 'not read yet');
        for (let waited = 0; !changed.includes(pkg); waited += 10) {
          assert.ok(waited < TIMEOUT_MS, `the folder was never read; log: ${logs.join(' | ')}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.equal(packages.forFile(join(pkg, 'big.go'), 'p')?.get('t:Base'), 'iA,B,C|');
        assert.ok(logs.some((m) => m.includes("on the server's thread")), logs.join(' | '));
      } finally {
        packages.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("the language server's index answers about imported packages", () => {
  it('from the folders read, and re-checks the importing folders when an imported one changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gorubric-lspimports-'));
    const desc = join(root, 'desc');
    const use = join(root, 'use');
    mkdirSync(desc);
    mkdirSync(use);
    writeFileSync(join(root, 'go.mod'), 'module example.com/m\n\ngo 1.19\n');
    writeFileSync(join(desc, 'desc.go'), 'package desc\n\nimport "sync"\n\ntype Field struct{ mu sync.Mutex }\n');
    writeFileSync(join(use, 'use.go'), 'package use\n');
    const changed: string[] = [];
    const packages = new WorkspacePackages(() => {}, (d) => changed.push(d), join(root, 'missing', 'indexWorker.js'));
    const waitFor = async (what: string, done: () => boolean) => {
      for (let waited = 0; !done(); waited += 10) {
        assert.ok(waited < TIMEOUT_MS, what);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const field = () => packages.forFile(join(use, 'use.go'), 'use')?.get(importedKey('example.com/m/desc', 'k:Field'));
    try {
      packages.index([root]);
      await waitFor('the folders were never read', () => changed.includes(use) && changed.includes(desc));
      const before = packages.forFile(join(use, 'use.go'), 'use')!.key;
      assert.equal(field(), '!');
      // desc.go loses its lock on disk: use's view changes, and use's open documents are checked again.
      changed.length = 0;
      writeFileSync(join(desc, 'desc.go'), 'package desc\n\ntype Field struct{ n int }\n');
      packages.fileChanged(join(desc, 'desc.go'), false);
      await waitFor('the change was never read', () => changed.includes(desc));
      assert.ok(changed.includes(use), `importers re-checked: ${changed.join(', ')}`);
      assert.notEqual(packages.forFile(join(use, 'use.go'), 'use')!.key, before);
      assert.equal(field(), '');
      assert.equal(packages.forFile(join(use, 'use.go'), 'use')!.get(importedKey('example.com/m/none', 'k:Field')), undefined);
    } finally {
      packages.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('package index in the language server', { timeout: 60_000 }, () => {
  let dir: string;
  let client: LspClient;
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  /** The GR110 messages published for big.go after `mark`, once they satisfy `want`. */
  const gr110 = async (mark: number, want: (messages: string[]) => boolean, what: string) => {
    const p = await client.waitForNotification<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (params) => params.uri === uri('big.go') && want(params.diagnostics.filter((d) => d.code === 'GR110').map((d) => d.message)),
      { after: mark, timeoutMs: TIMEOUT_MS, what },
    );
    return p.diagnostics.filter((d) => d.code === 'GR110');
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-pkgindex-'));
    writeFileSync(join(dir, 'base.go'), iface('Base', ['A', 'B', 'C']));
    writeFileSync(join(dir, 'big.go'), BIG);
    const serverJs = join(repoRoot(), 'server', 'out', 'server.js');
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "npm run build" (npm test does)`);
    client = new LspClient(process.execPath, [serverJs, '--stdio']);
    await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} }, TIMEOUT_MS);
    client.notify('initialized', {});
  });

  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows files on disk and open buffers, and re-checks the open documents of their folder', async () => {
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('big.go'), languageId: 'go', version: 1, text: BIG } });
    // Five methods once base.go is read: no finding, whenever the index gets there.
    await gr110(mark, (m) => m.length === 0, 'big.go checked');

    // base.go gains a method on disk: Big has six.
    mark = client.mark();
    writeFileSync(join(dir, 'base.go'), iface('Base', ['A', 'B', 'C', 'M']));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('base.go'), type: 2 }] });
    const six = await gr110(mark, (m) => m.length === 1, 'GR110 on big.go after base.go changed on disk');
    assert.match(six[0]!.message, /interface Big has 6 methods \(4 through embedded interfaces\)/);

    // base.go opened with an unsaved edit: the buffer wins over the disk.
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('base.go'), languageId: 'go', version: 1, text: iface('Base', ['A']) } });
    await gr110(mark, (m) => m.length === 0, 'no GR110 on big.go while base.go has an unsaved edit');
    // A disk event for an open file changes nothing; closing it brings the disk back.
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('base.go'), type: 2 }] });
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: uri('base.go') } });
    await gr110(mark, (m) => m.length === 1, 'GR110 on big.go again once base.go is closed');

    // base.go deleted: Base is unknown, and adds no methods.
    mark = client.mark();
    rmSync(join(dir, 'base.go'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('base.go'), type: 3 }] });
    await gr110(mark, (m) => m.length === 0, 'no GR110 once base.go is deleted');

    // The folder was read on the index's reader thread (server/out/indexWorker.js), not the server's.
    const logs = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(!logs.some((m) => m.includes("on the server's thread")), logs.join('\n'));
  });
});
