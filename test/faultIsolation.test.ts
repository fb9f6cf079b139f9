// Fault isolation in the language server (issue 9): a rule that throws is reported once in the
// log with the rule and the file, skipped for that file, and the other rules' findings are still
// published; a parser that throws (a trap inside wasm) is rebuilt and the document parsed again on
// the new parser, once; a parser that fails again leaves that document skipped with its reason and
// the others unaffected. Faults are injected with the test hook GO_RUBRIC_TEST_FAULTS=1.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FAULT_MARKERS } from '../server/src/cli/checkFile';
import { PARSER_FAULT_MARKER } from '../server/src/documents/goDocument';
import { repoRoot } from './helpers/goFiles';
import { startStdioServer, type LspClient, type PublishDiagnosticsParams } from './helpers/lspClient';

const SERVER = join(repoRoot(), 'server', 'out', 'server.js');
const SOURCE = `package p

import (
\t"fmt"
\t"sync"
)

var mu sync.Mutex

func wrap(err error) error {
\treturn fmt.Errorf("wrap: %v", err)
}

func locked(x int) int {
\tmu.Lock()
\tif x > 0 {
\t\treturn x
\t}
\tmu.Unlock()
\treturn 0
}
`;

describe('fault isolation in the language server', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-faults-'));
    writeFileSync(join(dir, 'go.mod'), 'module example.com/p\n\ngo 1.21\n');
    client = await startStdioServer(SERVER, { env: { ...process.env, GO_RUBRIC_TEST_FAULTS: '1' } });
  });
  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const logs = (mark: number) => (client.notificationsSince(mark, 'window/logMessage') as { message: string }[]).map((m) => m.message);

  async function open(text: string): Promise<{ uri: string; codes: string[] }> {
    const uri = pathToFileURL(join(dir, `f${++n}.go`)).href;
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    const p = await client.waitForNotification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (d) => d.uri === uri, { after: mark });
    return { uri, codes: p.diagnostics.map((d) => String(d.code)).sort() };
  }

  it('a rule that throws is skipped for that file and logged once with the rule and the file; the rest is published', async () => {
    const mark = client.mark();
    const clean = await open(SOURCE);
    assert.deepEqual(clean.codes, ['GR101', 'GR201']);
    const faulty = await open(`${SOURCE}\n// ${FAULT_MARKERS.rule} GR101\n`);
    assert.deepEqual(faulty.codes, ['GR201'], 'GR101 skipped, GR201 still published');
    // Keystrokes in the file: the failure happens again, and is not logged again.
    for (let version = 2; version <= 6; version++) {
      const before = client.mark();
      client.notify('textDocument/didChange', { textDocument: { uri: faulty.uri, version }, contentChanges: [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: '\n' }] });
      await client.waitForNotification('textDocument/publishDiagnostics', (d: PublishDiagnosticsParams) => d.uri === faulty.uri && d.version === version, { after: before });
    }
    const failures = logs(mark).filter((m) => m.includes('failed on'));
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.match(failures[0]!, new RegExp(`^rule GR101 \\(errorf-wrap-verb\\) failed on .*f2\\.go and was skipped for that file: Error: injected failure in GR101`));
    // Another file is not affected.
    assert.deepEqual((await open(SOURCE)).codes, ['GR101', 'GR201']);
  });

  it('a parser that throws is rebuilt and the document parsed again on the new parser', async () => {
    const mark = client.mark();
    const recovered = await open(`${SOURCE}\n// ${PARSER_FAULT_MARKER}\n`);
    assert.deepEqual(recovered.codes, ['GR101', 'GR201']);
    assert.ok(logs(mark).some((m) => /the parser failed on .* \(memory access out of bounds \(injected\)\); it was rebuilt and the document parsed again on a new parser/.test(m)), JSON.stringify(logs(mark)));
    assert.deepEqual((await open(SOURCE)).codes, ['GR101', 'GR201'], 'the new parser serves the other documents');
  });

  it('a parser that fails again leaves that document skipped with its reason, and no other', async () => {
    const mark = client.mark();
    const failed = await open(`${SOURCE}\n// ${PARSER_FAULT_MARKER} always\n`);
    assert.deepEqual(failed.codes, []);
    assert.ok(logs(mark).some((m) => /failed again \(memory access out of bounds \(injected\)\): rubric checks skipped for it/.test(m)), JSON.stringify(logs(mark)));
    await client.waitForNotification<{ message: string }>('window/showMessage', (p) => /the parser failed on this file: rubric checks skipped/.test(p.message), { after: mark });
    assert.deepEqual((await open(SOURCE)).codes, ['GR101', 'GR201']);
  });
});
