// GR407 pprof-on-default-mux: net/http/pprof imported in a package that serves http.DefaultServeMux
// on an address other machines can reach. The import's init registers /debug/pprof/ on the default
// mux, so the program's heap, goroutine stacks, command line and CPU profiles are served to anyone
// who can reach that server.
import type { Node } from 'web-tree-sitter';
import type { Rule } from '../engine/types';
import { gosecSilenced } from './httpSyntax';
import { proverbs } from './proverbs';

const PPROF = 'net/http/pprof';

export const pprofOnDefaultMux: Rule = {
  meta: {
    code: 'GR407',
    name: 'pprof-on-default-mux',
    phase: 'production',
    severity: 'information',
    summary: 'net/http/pprof imported in a program that serves http.DefaultServeMux on a public address, exposing /debug/pprof.',
    proverb: proverbs.pprofExposure,
    fixable: false,
    example: {
      bad: 'import _ "net/http/pprof"\n\nfunc main() {\n\thttp.HandleFunc("/", home)\n\tlog.Fatal(http.ListenAndServe(":8080", nil)) // serves /debug/pprof too\n}',
      good: 'import _ "net/http/pprof"\n\nfunc main() {\n\tgo func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }() // pprof, local only\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("/", home)\n\tlog.Fatal(http.ListenAndServe(":8080", mux))\n}',
    },
    docs: `## What it flags
An import of \`net/http/pprof\` (blank or named) in a file outside \`_test.go\` files, when a function of the package
serves \`http.DefaultServeMux\` on an address that is not a loopback literal:
\`http.ListenAndServe(addr, nil)\`, \`http.ListenAndServeTLS(addr, cert, key, nil)\`, \`http.Serve(l, nil)\`,
\`http.ServeTLS(l, nil, cert, key)\`, or the same with \`http.DefaultServeMux\` as the handler. The finding is on the
import.

## Why
Importing \`net/http/pprof\` registers its handlers on \`http.DefaultServeMux\` in the package's \`init\`, whether the
program means to serve them or not. A server on the default mux then answers \`/debug/pprof/\` too: anyone who can
reach it can download heap and goroutine dumps (which hold request data and secrets in memory), the command line,
and start CPU profiles that slow the program down. Serve the default mux on a loopback address only, or serve the
application on a mux of its own and mount pprof's handlers where only operators can reach them.

## Bad
\`\`\`go
import _ "net/http/pprof"

func main() {
	http.HandleFunc("/", home)
	log.Fatal(http.ListenAndServe(":8080", nil)) // serves /debug/pprof too
}
\`\`\`

## Good
\`\`\`go
import _ "net/http/pprof"

func main() {
	go func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }() // pprof, local only
	mux := http.NewServeMux()
	mux.HandleFunc("/", home)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
\`\`\`

## Left alone
- A default mux served on a loopback address written as a literal (\`"localhost:6060"\`, \`"127.0.0.1:6060"\`,
  \`"[::1]:6060"\`): the documented way to use the package.
- Packages that never serve the default mux (their handlers go to muxes of their own).
- An import silenced for gosec (\`// #nosec G108\`, a bare \`#nosec\`, or golangci-lint's \`//nolint:gosec\`, at the
  end of the line or alone on the line above).
- \`_test.go\` files, and generated files as for every rule.

## Approximations
The serving calls are found in the text of the package's function bodies (every file of the package, with the
workspace index). An address that is not a literal (a flag, a configuration field) is taken as public: the rule
cannot see its value, and \`":6060"\`, the usual default, listens on every interface. A \`http.Server\` literal
without a \`Handler\`, which serves the default mux too, is not recognised; neither is an alias of \`net/http\`
shadowed by a local variable.

## Links
- [net/http/pprof](https://pkg.go.dev/net/http/pprof)
- peer: gosec G108 (reports every blank import of net/http/pprof, served or not)`,
  },
  appliesTo: (file) => !file.isTestFile && file.imports.has(PPROF),
  anchors: { text: () => [`"${PPROF}"`], nodeTypes: ['import_spec'] },
  visit(spec: Node, ctx) {
    if (spec.childForFieldName('path')?.text !== `"${PPROF}"`) return;
    if (ctx.pkg.get('g:defaultmux') === undefined || gosecSilenced(ctx.file.text, spec.startIndex, ['G108'])) return;
    ctx.report({
      node: spec,
      message: 'net/http/pprof registers /debug/pprof/ on http.DefaultServeMux, and this package serves that mux on an address other machines can reach: anyone there can read heap and goroutine dumps and the command line; serve the default mux on localhost only, or give the application a mux of its own',
    });
  },
};
