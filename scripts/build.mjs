// Bundles the extension client, the language server and the CLI with esbuild, and copies the
// pinned tree-sitter wasm files into grammars/, where the bundles load them at run time.
// `--tests` also bundles every test/**/*.test.ts into test/out/ for `node --test`; `--fuzz` the
// fuzzer (test/fuzz/main.ts) into test/out/fuzz.js for `npm run fuzz`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeSitterMemoryPlugin } from './lib/treeSitterMemory.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const withTests = process.argv.includes('--tests');
const withE2e = process.argv.includes('--e2e');
const withFuzz = process.argv.includes('--fuzz');

// web-tree-sitter's ESM build reads import.meta.url, which is empty in a CommonJS bundle and
// makes Parser.init fail silently in the editor; its .cjs build works with an explicit locateFile.
const webTreeSitterDir = dirname(require.resolve('web-tree-sitter'));
const treeSitterGoDir = dirname(require.resolve('tree-sitter-go/package.json'));

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  define: { GO_RUBRIC_VERSION: JSON.stringify(version) },
  bundle: true,
  minify: process.env.GO_RUBRIC_NO_MINIFY !== '1',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': join(webTreeSitterDir, 'web-tree-sitter.cjs') },
  plugins: [treeSitterMemoryPlugin()],
};

mkdirSync(join(root, 'grammars'), { recursive: true });
copyFileSync(join(webTreeSitterDir, 'web-tree-sitter.wasm'), join(root, 'grammars', 'web-tree-sitter.wasm'));
copyFileSync(join(treeSitterGoDir, 'tree-sitter-go.wasm'), join(root, 'grammars', 'tree-sitter-go.wasm'));

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'client/src/extension.ts')],
    outfile: join(root, 'client/out/extension.js'),
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: {
      // server.js is a small loader that runs serverMain.js through a V8 code cache.
      server: join(root, 'server/src/server.ts'),
      serverMain: join(root, 'server/src/serverMain.ts'),
      cli: join(root, 'server/src/cli.ts'),
      // The worker thread of the CLI and of the server's workspace check; both start it from their own folder.
      cliWorker: join(root, 'server/src/cli/worker.ts'),
      // The package index's reader thread, started by the server from its own folder.
      indexWorker: join(root, 'server/src/lsp/indexWorker.ts'),
    },
    outdir: join(root, 'server/out'),
    banner: { js: '#!/usr/bin/env node' },
  }),
]);

if (withTests) {
  const testDir = join(root, 'test');
  const entries = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'out' || name === 'fixtures' || name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) entries.push(path);
    }
  };
  walk(testDir);
  rmSync(join(testDir, 'out'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: Object.fromEntries(entries.map((e) => [relative(testDir, e).replace(/\.ts$/, ''), e])),
    outdir: join(testDir, 'out'),
  });
}

if (withFuzz) {
  await build({ ...common, entryPoints: [join(root, 'test/fuzz/main.ts')], outfile: join(root, 'test/out/fuzz.js') });
}

if (withE2e) {
  // The test module VS Code's extension-test hook loads inside the real extension host.
  await build({
    ...common,
    minify: false,
    entryPoints: [join(root, 'test/e2e/extensionHost/index.ts')],
    outfile: join(root, 'test/e2e/out/extensionHost/index.js'),
    external: ['vscode'],
  });
}
