// `go-rubric check --format`: each format on a fixed workspace (test/fixtures/cli-formats/workspace),
// compared with the exact output committed under test/fixtures/cli-formats/expected/, and the same
// with one worker thread and with two. The SARIF log is validated against the SARIF 2.1.0 JSON
// schema (test/fixtures/sarif-schema-2.1.0.json, see its .md).
//
// A change to a rule's message or to a format shows up here as a difference: look at it, then
// write the new output with GO_RUBRIC_UPDATE_SNAPSHOTS=1 and commit it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { checkstyleFormatter, xmlAttribute } from '../server/src/cli/formats/checkstyle';
import { escapeData, escapeProperty, githubFormatter } from '../server/src/cli/formats/github';
import { colorWanted, textLine } from '../server/src/cli/formats/text';
import type { FindingRecord } from '../server/src/cli/checkFile';
import { catalog } from '../server/src/rules';
import { docSection, ruleDocPage, ruleDocUrl } from '../server/src/rules/docs';
import { CLI, runCli } from './helpers/cli';
import { repoRoot } from './helpers/goFiles';

const FIXTURES = join(repoRoot(), 'test', 'fixtures');
const EXPECTED = join(FIXTURES, 'cli-formats', 'expected');
const UPDATE = process.env.GO_RUBRIC_UPDATE_SNAPSHOTS === '1';
const VERSION = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

const FORMATS = { text: 'txt', json: 'json', sarif: 'sarif', github: 'txt', checkstyle: 'xml' } as const;

/** Compares `actual` with the committed file (or writes it, with GO_RUBRIC_UPDATE_SNAPSHOTS=1). */
function matchesSnapshot(name: string, actual: string): void {
  const path = join(EXPECTED, name);
  if (UPDATE) {
    mkdirSync(EXPECTED, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs (GO_RUBRIC_UPDATE_SNAPSHOTS=1 rewrites it)`);
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
}

/**
 * The SARIF log with what comes from the rule docs and the version replaced by placeholders, once
 * checked against their sources: the docs change with every rule edit, the rest is the format's.
 */
function sarifWithoutDocs(stdout: string): string {
  const log = JSON.parse(stdout) as { runs: { tool: { driver: { version: string; semanticVersion: string; rules: SarifRule[] } } }[] };
  const driver = log.runs[0]!.tool.driver;
  assert.equal(driver.version, VERSION);
  assert.equal(driver.semanticVersion, VERSION);
  driver.version = driver.semanticVersion = '<version>';
  for (const descriptor of driver.rules) {
    const rule = catalog.find((r) => r.meta.code === descriptor.id)!;
    assert.equal(descriptor.shortDescription.text, rule.meta.summary);
    assert.equal(descriptor.fullDescription.text, docSection(rule, 'What it flags'));
    assert.equal(descriptor.help.markdown, ruleDocPage(rule));
    assert.ok(descriptor.help.text.startsWith(`${rule.meta.summary}\n\n`) && descriptor.help.text.endsWith(`Documentation: ${ruleDocUrl(rule)}`));
    assert.equal(descriptor.helpUri, ruleDocUrl(rule));
    const placeholder = `<${descriptor.id} docs>`;
    descriptor.shortDescription.text = descriptor.fullDescription.text = descriptor.help.text = descriptor.help.markdown = placeholder;
  }
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  // The schema's `language` pattern ends in a stray `]`, an error only under the u flag, which
  // ajv uses by default; draft-04 patterns are plain ECMA 262 regular expressions.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('check --format on a fixed workspace', { timeout: 300_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gorubric-formats-'));
    cpSync(join(FIXTURES, 'cli-formats', 'workspace'), dir, { recursive: true });
    // A repository root for %SRCROOT% and GitHub's paths, and a file that cannot be checked.
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'store', 'blob.go'), Buffer.from([0x70, 0x61, 0x00, 0x01]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [format, extension] of Object.entries(FORMATS)) {
    it(`${format}: the committed output, the same with 1 and 2 workers`, () => {
      const one = runCli(['check', '--format', format, '--jobs', '1'], dir);
      const two = runCli(['check', '--format', format, '--jobs', '2'], dir);
      assert.deepEqual(two, one);
      assert.equal(one.code, 1, one.stderr);
      matchesSnapshot(`${format}.${extension}`, format === 'sarif' ? sarifWithoutDocs(one.stdout) : one.stdout);
      matchesSnapshot(`${format}.stderr.txt`, one.stderr);
    });
  }

  it('sarif: valid against the SARIF 2.1.0 schema, which rejects a broken log', () => {
    const validate = sarifValidator();
    const log = JSON.parse(runCli(['check', '--format', 'sarif'], dir).stdout) as { runs: { results: { level: string }[] }[] };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(log.runs[0]!.results.length, 6);
    // The validator is not a rubber stamp: a level SARIF does not have fails it.
    log.runs[0]!.results[0]!.level = 'information';
    assert.equal(validate(log), false);
  });

  it('sarif: a run with --rules and a run without findings are valid too', () => {
    const validate = sarifValidator();
    const r = runCli(['check', '--format', 'sarif', '--rules', 'GR2*'], dir);
    const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[] };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), ['GR201']);
    assert.deepEqual(run.results.map((result) => [result.ruleId, result.ruleIndex]), [['GR201', 0]]);
    const clean = mkdtempSync(join(tmpdir(), 'gorubric-formats-clean-'));
    try {
      writeFileSync(join(clean, 'go.mod'), 'module example.com/clean\n\ngo 1.21\n');
      const empty = runCli(['check', '--format', 'sarif'], clean);
      assert.equal(empty.code, 0, empty.stderr);
      assert.ok(validate(JSON.parse(empty.stdout)), JSON.stringify(validate.errors, null, 2));
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });

  it('text: coloured on a terminal, plain with NO_COLOR (and in a pipe, as above)', (t) => {
    // script(1) runs the CLI on a pseudo-terminal; its stdout is what the terminal showed.
    if (!existsSync('/usr/bin/script')) return t.skip('script(1) from util-linux is not installed');
    const onTerminal = (env: NodeJS.ProcessEnv) => {
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} check --rules GR102 2>/dev/null`;
      return spawnSync('/usr/bin/script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...env, GO_RUBRIC_CACHE: 'off', TERM: 'xterm' }, encoding: 'utf8', timeout: 60_000 }).stdout;
    };
    const coloured = onTerminal(process.env);
    assert.match(coloured, /\x1b\[1mstore\/store\.go:24:3:\x1b\[0m \x1b\[31mGR102\x1b\[0m \x1b\[2munwrapped-return:\x1b\[0m the error/);
    const plain = onTerminal({ ...process.env, NO_COLOR: '1' });
    assert.match(plain, /^store\/store\.go:24:3: GR102 unwrapped-return: the error/m);
    assert.doesNotMatch(plain, /\x1b\[/);
  });

  it('sarif and github: paths from the repository root when run in a subfolder', () => {
    const inside = join(dir, 'store');
    const sarif = JSON.parse(runCli(['check', '--format', 'sarif'], inside).stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[];
    };
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    assert.deepEqual(uris[0], { uri: 'store/store.go', uriBaseId: '%SRCROOT%' });
    const github = runCli(['check', '--format', 'github'], inside).stdout;
    assert.match(github, /^::error file=store\/store\.go,line=24,/m);
    // The text format stays relative to the working folder.
    assert.match(runCli(['check'], inside).stdout, /^store\.go:24:3: GR102 /m);
  });
});

describe('format details', () => {
  const finding = (over: Partial<FindingRecord>): FindingRecord => ({
    path: 'a.go',
    code: 'GR101',
    name: 'errorf-wrap-verb',
    severity: 'warning',
    message: 'm',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 7,
    range: { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } },
    fix: null,
    ...over,
  });
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, context: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), cwd: process.cwd(), color: false } };
  };

  it('github: escapes data and properties as the runner reads them back', () => {
    assert.equal(escapeData('100% done\r\nnext: a,b'), '100%25 done%0D%0Anext: a,b');
    assert.equal(escapeProperty('dir/odd, name:1.go%'), 'dir/odd%2C name%3A1.go%25');
  });

  it('github: columns only on a one-line finding; information and hint are notices', () => {
    const { out, context } = capture();
    const github = githubFormatter(context);
    github.finding(finding({ path: 'x.go', severity: 'hint', line: 3, endLine: 5, range: { start: { line: 2, character: 4 }, end: { line: 4, character: 1 } } }));
    github.finding(finding({ path: 'x.go', severity: 'information' }));
    github.end({ files: 1, problems: [{ path: 'bad.go', message: 'binary file: skipped' }] });
    assert.deepEqual(out, [
      '::notice file=x.go,line=3,endLine=5,title=GR101 errorf-wrap-verb::m',
      '::notice file=x.go,line=3,col=5,endLine=3,endColumn=7,title=GR101 errorf-wrap-verb::m',
      '::warning file=bad.go,title=go-rubric::binary file: skipped',
    ]);
  });

  it('checkstyle: XML escaping, including what XML 1.0 cannot hold', () => {
    assert.equal(xmlAttribute(`a<b & "c" 'd'>`), 'a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
    assert.equal(xmlAttribute('tab\there\nline\r'), 'tab&#9;here&#10;line&#13;');
    assert.equal(xmlAttribute('nul\u0000 bell\u0007 lone\uD800 pair😀'), 'nul\uFFFD bell\uFFFD lone\uFFFD pair😀');
    const { out, context } = capture();
    const checkstyle = checkstyleFormatter(context);
    checkstyle.end({ files: 0, problems: [] });
    assert.deepEqual(out, ['<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n</checkstyle>']);
  });

  it('text: colour only on a terminal without NO_COLOR, and the line reads the same without it', () => {
    assert.equal(colorWanted(true, {}), true);
    assert.equal(colorWanted(false, {}), false);
    assert.equal(colorWanted(true, { NO_COLOR: '1' }), false);
    assert.equal(colorWanted(true, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
    assert.equal(colorWanted(true, { TERM: 'dumb' }), false);
    const f = finding({ severity: 'error' });
    assert.equal(textLine(f, false), 'a.go:3:5: GR101 errorf-wrap-verb: m');
    const coloured = textLine(f, true);
    assert.match(coloured, /\x1b\[31mGR101/);
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), textLine(f, false));
  });
});
