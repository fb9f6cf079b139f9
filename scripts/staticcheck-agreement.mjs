// Line-by-line agreement between go-rubric rules and the staticcheck checks that cover the same
// ground (ST1005 ~ GR107, ST1008 ~ GR108, ST1012 ~ GR114), on the standard library's packages.
//
//   node scripts/corpus-stats.mjs --out /tmp/std.jsonl /usr/share/go-1.19/src
//   cd /tmp && GOROOT=/usr/lib/go-1.19 GOFLAGS=-mod=mod GOPATH=$(mktemp -d) GOCACHE=$(mktemp -d) \
//     PATH=/usr/lib/go-1.19/bin:$PATH go-staticcheck -checks ST1005,ST1008,ST1012 -f json std > /tmp/st.json
//   node scripts/staticcheck-agreement.mjs /tmp/std.jsonl /tmp/st.json
//
// Compared: non-test files of the packages `std` names (not cmd/, testdata or vendor), by file and
// line. staticcheck reports files under GOROOT (/usr/lib/go-1.19), the corpus under /usr/share.
import { readFileSync } from 'node:fs';

const [oursFile, staticcheckFile] = process.argv.slice(2);
if (!oursFile || !staticcheckFile) {
  console.error('usage: node scripts/staticcheck-agreement.mjs <go-rubric findings.jsonl> <staticcheck -f json output>');
  process.exit(2);
}
const ROOT = '/usr/share/go-1.19/src/';
const readLines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const ours = readLines(oursFile);
const theirs = readLines(staticcheckFile).map((d) => ({ ...d, file: d.location.file.replace('/usr/lib/go-1.19/src/', ROOT) }));
const PAIRS = { ST1005: 'GR107', ST1008: 'GR108', ST1012: 'GR114' };
const inScope = (path) => path.startsWith(ROOT) && !path.startsWith(`${ROOT}cmd/`) && !/\/(testdata|vendor)\//.test(path) && !path.endsWith('_test.go');

for (const [check, rule] of Object.entries(PAIRS)) {
  const st = new Set(theirs.filter((d) => d.code === check && inScope(d.file)).map((d) => `${d.file}:${d.location.line}`));
  const gr = new Set(ours.filter((f) => f.code === rule && inScope(f.path)).map((f) => `${f.path}:${f.line}`));
  const short = (keys) => keys.map((k) => k.slice(ROOT.length)).join(', ') || 'none';
  console.log(`${check} / ${rule}: staticcheck ${st.size}, go-rubric ${gr.size}, on the same line ${[...st].filter((k) => gr.has(k)).length}`);
  console.log(`  staticcheck only: ${short([...st].filter((k) => !gr.has(k)))}`);
  console.log(`  go-rubric only:   ${short([...gr].filter((k) => !st.has(k)))}`);
}
