// The configuration file: parsing (JSON and YAML), validation against the schema, confinement of
// its exclude patterns, the search for the nearest file, and the schema and settings that
// package.json contributes to VS Code.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigLocator, loadConfigFile, MAX_CONFIG_BYTES, parseConfigText, type LocatedConfig } from '../server/src/config/configFile';
import { LayeredScope } from '../server/src/config/configScope';
import { pathExcluder } from '../server/src/config/glob';
import { CONFIG_SCHEMA, SCHEMA_KEYWORDS, validate } from '../server/src/config/schema';
import { PHASE_KEYS, SEVERITY_SETTINGS } from '../server/src/engine/config';
import { catalog } from '../server/src/rules';
import { repoRoot } from './helpers/goFiles';

const parse = (text: string, name = '.gorubric.json') => parseConfigText(text, join('/repo', name), catalog);
const messages = (loaded: { problems: { severity: string; message: string }[] }) => loaded.problems.map((p) => `${p.severity}: ${p.message}`);

describe('configuration file: parsing and validation', () => {
  it('reads rules and exclude from JSON and from YAML alike', () => {
    const json = parse('{ "rules": { "GR2*": "error", "GR101": "off" }, "exclude": ["**/*_mock.go", "internal/gen/**"] }');
    const yaml = parse('# shared by the team\nrules:\n  GR2*: error\n  GR101: "off"\nexclude:\n  - "**/*_mock.go"\n  - internal/gen/**\n', '.gorubric.yaml');
    for (const loaded of [json, yaml]) {
      assert.deepEqual(loaded.problems, []);
      assert.deepEqual(loaded.file?.rules, { 'GR2*': 'error', GR101: 'off' });
      assert.deepEqual(loaded.file?.exclude, ['**/*_mock.go', 'internal/gen/**']);
      assert.equal(loaded.file?.dir, '/repo');
      assert.ok(loaded.file?.excluder.excludes('/repo/a/b_mock.go'));
      assert.ok(!loaded.file?.excluder.excludes('/repo/a/b.go'));
    }
  });

  it('takes an empty file, or YAML with only comments, as an empty configuration', () => {
    for (const [text, name] of [['', '.gorubric.json'], ['  \n', '.gorubric.json'], ['# nothing yet\n', '.gorubric.yml']] as const) {
      const loaded = parse(text, name);
      assert.deepEqual(loaded.problems, [], `${name}: ${JSON.stringify(text)}`);
      assert.deepEqual(loaded.file?.rules, {});
      assert.deepEqual(loaded.file?.exclude, []);
    }
    assert.deepEqual(parse('\uFEFF{"rules": {}}').problems, [], 'a byte-order mark is not an error');
  });

  it('refuses invalid JSON and YAML, saying where', () => {
    const json = parse('{\n  "rules": { "GR101": "off", }\n}');
    assert.equal(json.file, undefined);
    assert.match(messages(json)[0]!, /^error: not valid JSON: .*line 2, column \d+/);
    const yaml = parse('rules:\n  GR101: off\n  GR101: hint\n', '.gorubric.yaml');
    assert.equal(yaml.file, undefined);
    assert.match(messages(yaml)[0]!, /^error: not valid YAML: Map keys must be unique at line 3/);
    const tabs = parse('rules:\n\tGR101: off\n', '.gorubric.yaml');
    assert.match(messages(tabs)[0]!, /^error: not valid YAML: Tabs are not allowed/);
  });

  it('reports unknown keys and rule keys that name nothing as warnings, and applies the rest', () => {
    const loaded = parse('{ "rules": { "GR101": "off", "GR999": "error", "GR8*": "hint" }, "exlcude": ["x"], "severity": 1 }');
    assert.deepEqual(messages(loaded), [
      'warning: unknown key "exlcude" (known: rules, exclude)',
      'warning: unknown key "severity" (known: rules, exclude)',
      'warning: rules: unknown rule "GR999"',
      'warning: rules: "GR8*" matches no rule',
    ]);
    assert.deepEqual(loaded.file?.rules, { GR101: 'off', GR999: 'error', 'GR8*': 'hint' });
  });

  it('refuses wrong types and severities as errors, reporting each', () => {
    const loaded = parse('{ "rules": { "GR101": "loud", "GR102": 3, "GR103": "warn" }, "exclude": "vendor/**" }');
    assert.equal(loaded.file, undefined);
    assert.deepEqual(messages(loaded), [
      'error: rules.GR101: "loud" is not one of error, warning, information, hint, off',
      'error: rules.GR102: expected a string, got number 3',
      'error: rules.GR103: "warn" is not one of error, warning, information, hint, off',
      'error: exclude: expected a list, got the string "vendor/**"',
    ]);
    assert.deepEqual(messages(parse('[1, 2]')), ['error: expected an object, got a list']);
    assert.deepEqual(messages(parse('rules: yes\n', '.gorubric.yaml')), ['error: rules: expected an object, got the string "yes"']);
    assert.deepEqual(messages(parse('{"exclude": ["", 3]}')), ['error: exclude[0]: must not be empty', 'error: exclude[1]: expected a string, got number 3']);
  });

  it('confines exclude patterns to the folder: absolute paths and .. are errors', () => {
    const loaded = parse('{ "exclude": ["/etc/**", "../sibling/**", "ok/**", "a/../../b"] }');
    assert.equal(loaded.file, undefined);
    assert.deepEqual(messages(loaded), [
      'error: exclude pattern "/etc/**" is absolute; patterns are relative to the folder (write "etc/**")',
      'error: exclude pattern "../sibling/**" leaves the folder with ".."; patterns are confined to it',
      'error: exclude pattern "a/../../b" leaves the folder with ".."; patterns are confined to it',
    ]);
  });

  it('is data only: YAML tags are not resolved into anything but data, aliases are bounded', () => {
    const tagged = parse('rules:\n  GR101: !!js/function "function () { return 1 }"\n', '.gorubric.yaml');
    assert.ok(messages(tagged).some((m) => /^warning: YAML: Unresolved tag/.test(m)), messages(tagged).join('\n'));
    assert.ok(messages(tagged).some((m) => /^error: rules\.GR101: "function \(\) \{ return 1 \}" is not one of/.test(m)));
    const anchors = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) anchors.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`);
    const laughs = parse(`${anchors.join('\n')}\n`, '.gorubric.yaml');
    assert.equal(laughs.file, undefined);
    assert.match(messages(laughs)[0]!, /^error: not valid YAML: .*alias/i);
  });
});

describe('configuration file: reading and finding', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gorubric-config-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('refuses a file that is too large or cannot be read', () => {
    write('big/.gorubric.json', `{"rules": {}, "x": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`);
    assert.match(messages(loadConfigFile(join(root, 'big', '.gorubric.json'), catalog))[0]!, /^error: too large for a configuration file/);
    assert.deepEqual(messages(loadConfigFile(join(root, 'missing.json'), catalog)), ['error: cannot be read: no such file or directory']);
  });

  it('finds the nearest file upwards, stops at a repository root, and reads each file once', () => {
    write('repo/.git/HEAD', 'ref: refs/heads/main\n');
    write('repo/.gorubric.yaml', 'rules:\n  GR101: "off"\n');
    write('repo/svc/inner/x.go', 'package x\n');
    write('repo/svc/own/.gorubric.json', '{"rules": {"GR102": "off"}}');
    write('.gorubric.json', '{"rules": {"all": "off"}}'); // above the repository: never read from inside it
    write('loose/deep/x.go', 'package x\n');
    const loads: LocatedConfig[] = [];
    const locator = new ConfigLocator(catalog, (located) => loads.push(located));
    const inner = locator.lookup(join(root, 'repo', 'svc', 'inner'));
    assert.equal(inner.source, join(root, 'repo', '.gorubric.yaml'));
    assert.deepEqual(inner.file?.rules, { GR101: 'off' });
    assert.equal(locator.lookup(join(root, 'repo', 'svc')).file, inner.file, 'the same file object for every folder under it');
    assert.deepEqual(locator.lookup(join(root, 'repo', 'svc', 'own')).file?.rules, { GR102: 'off' }, 'the nearest file wins, without merging');
    assert.equal(locator.lookup(join(root, 'loose', 'deep')).source, join(root, '.gorubric.json'), 'outside a repository the search goes up');
    assert.equal(loads.length, 3);
    write('repo/.gorubric.yaml', 'rules:\n  GR101: hint\n');
    assert.deepEqual(locator.lookup(join(root, 'repo', 'svc', 'inner')).file?.rules, { GR101: 'off' }, 'cached until cleared');
    locator.clear();
    assert.deepEqual(locator.lookup(join(root, 'repo', 'svc', 'inner')).file?.rules, { GR101: 'hint' });
  });

  it('with a limit (the editor\'s workspace folder) never looks above it', () => {
    write('ws/.gorubric.json', '{"rules": {"GR101": "off"}}');
    write('ws/folder/pkg/x.go', 'package x\n');
    const locator = new ConfigLocator(catalog);
    const folder = join(root, 'ws', 'folder');
    assert.equal(locator.lookup(join(folder, 'pkg'), folder).file, undefined);
    assert.equal(locator.lookup(join(root, 'elsewhere'), folder).file, undefined, 'a folder outside the limit gets nothing');
    assert.equal(locator.lookup(join(folder, 'pkg')).source, join(root, 'ws', '.gorubric.json'), 'without a limit it does');
  });

  it('refuses two configuration files in one folder', () => {
    write('two/.gorubric.json', '{}');
    write('two/.gorubric.yml', '{}');
    const located = new ConfigLocator(catalog).lookup(join(root, 'two'));
    assert.equal(located.file, undefined);
    assert.deepEqual(messages(located), ['error: several configuration files in one folder (.gorubric.json, .gorubric.yml): keep one']);
  });

  it('layers the file under the settings, and combines their excludes', () => {
    write('layers/.gorubric.json', '{"rules": {"GR201": "error", "GR101": "warning"}, "exclude": ["gen/**"]}');
    const locator = new ConfigLocator(catalog);
    const { excluder } = pathExcluder(join(root, 'layers'), ['*_test.go']);
    const scope = new LayeredScope(catalog, (dir) => locator.lookup(dir).file, { rules: { concurrency: 'hint' }, excluder });
    const config = scope.configFor(join(root, 'layers', 'a.go'))!;
    assert.equal(config.severities.get('GR201'), 'hint', 'the settings override the file for every rule they name');
    assert.equal(config.severities.get('GR101'), 'warning');
    assert.equal(scope.configFor(join(root, 'layers', 'gen', 'x.go')), undefined, "the file's exclude");
    assert.equal(scope.configFor(join(root, 'layers', 'a_test.go')), undefined, "the settings' exclude");
    assert.equal(scope.configFor(join(root, 'layers', 'b.go')), config, 'the same object for the same configuration');
  });
});

describe('the schema', () => {
  it('uses only the JSON Schema keywords the validator implements', () => {
    const known = new Set<string>([...SCHEMA_KEYWORDS.validation, ...SCHEMA_KEYWORDS.annotation]);
    const walk = (node: unknown, path: string, mapOfSchemas: boolean) => {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        // Under properties/definitions the keys are names, each holding a schema.
        if (mapOfSchemas) {
          walk(value, `${path}.${key}`, false);
          continue;
        }
        assert.ok(known.has(key), `${path}: the validator does not implement "${key}"`);
        if (key === 'properties' || key === 'definitions') walk(value, `${path}.${key}`, true);
        else if (key === 'items' || key === 'additionalProperties') walk(value, `${path}.${key}`, false);
      }
    };
    walk(CONFIG_SCHEMA, '#', false);
  });

  it("severities and phase keys match the engine's", () => {
    assert.deepEqual(CONFIG_SCHEMA.definitions?.severity?.enum, SEVERITY_SETTINGS);
    const ruleKeys = Object.keys(CONFIG_SCHEMA.properties?.rules?.properties ?? {});
    assert.deepEqual(ruleKeys, ['all', ...PHASE_KEYS]);
  });

  it('accepts a $schema key, so that editors can be pointed at it', () => {
    assert.deepEqual(validate({ $schema: './schemas/gorubric.schema.json', rules: {} }), []);
  });
});

describe('package.json contributions', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
    contributes: {
      configuration: { properties: Record<string, { type: string; scope?: string; markdownDescription?: string; items?: { type: string } }> };
      jsonValidation: { fileMatch: string; url: string }[];
      yamlValidation: { fileMatch: string[]; url: string }[];
    };
  };
  const properties = manifest.contributes.configuration.properties;

  it('offers goRubric.exclude as a list of strings per resource, and describes the rule keys', () => {
    const exclude = properties['goRubric.exclude'];
    assert.equal(exclude?.type, 'array');
    assert.equal(exclude?.items?.type, 'string');
    assert.equal(exclude?.scope, 'resource');
    const rules = properties['goRubric.rules']?.markdownDescription ?? '';
    for (const word of ['GR2*', 'concurrency', '`all`', '.gorubric.json']) assert.ok(rules.includes(word), `goRubric.rules should mention ${word}`);
  });

  it('points VS Code at the schema for .gorubric.json and the YAML forms, and ships it', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.gorubric.json', url: './schemas/gorubric.schema.json' }]);
    assert.deepEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['.gorubric.yaml', '.gorubric.yml'], url: './schemas/gorubric.schema.json' }]);
    assert.deepEqual(JSON.parse(readFileSync(join(repoRoot(), 'schemas', 'gorubric.schema.json'), 'utf8')), CONFIG_SCHEMA);
    assert.match(readFileSync(join(repoRoot(), '.vscodeignore'), 'utf8'), /^!schemas\/gorubric\.schema\.json$/m);
  });
});
