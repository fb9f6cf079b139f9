// GR401 server-no-timeouts: an HTTP server with no read timeout. net/http's package serving
// functions (ListenAndServe, Serve and their TLS forms) serve with a zero Server, and a Server
// literal without ReadTimeout or ReadHeaderTimeout waits for a request's headers as long as the
// client likes: a client that trickles them in (Slowloris) holds a connection and a goroutine each.
import type { Node } from 'web-tree-sitter';
import { isTestSupportPackage } from '../engine/fileFacts';
import { topLevelDeclaration } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { gosecSilenced, httpNames, isHttptestConfig, isLoopbackAddress, isServerLiteral, literalKeys, serveCall, SERVING_TEXT } from './httpSyntax';
import { proverbs } from './proverbs';

const READ_TIMEOUTS = ['ReadHeaderTimeout', 'ReadTimeout'];

/** `srv.ReadHeaderTimeout = d` (or ReadTimeout) anywhere in the text: the literal's fields are set after it is built. */
const SET_AFTER = /\.\s*Read(?:Header)?Timeout\s*=[^=]/;

function checkCall(call: Node, ctx: RuleContext): void {
  const serve = serveCall(call, ctx.file.imports);
  if (!serve || (serve.name.startsWith('Listen') && isLoopbackAddress(serve.address)) || gosecSilenced(ctx.file.text, call.startIndex, ['G114'])) return;
  const written = call.childForFieldName('function')?.text ?? `http.${serve.name}`;
  ctx.report({
    node: call.childForFieldName('function') ?? call,
    message: `${written} serves with a Server that has no timeouts: a client that sends its request slowly holds a connection and a goroutine for as long as it likes (Slowloris); build an http.Server with ReadHeaderTimeout set and call its ${serve.name} method`,
  });
}

function checkLiteral(literal: Node, ctx: RuleContext): void {
  if (!isServerLiteral(literal, ctx.file.imports)) return;
  const keys = literalKeys(literal);
  if (READ_TIMEOUTS.some((k) => keys.has(k)) || isLoopbackAddress(keys.get('Addr')) || isHttptestConfig(literal, ctx.file)) return;
  // Fields set once the Server is built (`srv.ReadHeaderTimeout = 5 * time.Second`) in the same declaration.
  const decl = topLevelDeclaration(literal);
  if (SET_AFTER.test(ctx.file.text.slice(decl.startIndex, decl.endIndex))) return;
  if (gosecSilenced(ctx.file.text, literal.startIndex, ['G112'])) return;
  const type = literal.childForFieldName('type') ?? literal;
  ctx.report({
    node: type,
    message: `this ${type.text} sets neither ReadHeaderTimeout nor ReadTimeout: a client that sends its request headers slowly holds a connection and a goroutine for as long as it likes (Slowloris); set ReadHeaderTimeout`,
  });
}

export const serverNoTimeouts: Rule = {
  meta: {
    code: 'GR401',
    name: 'server-no-timeouts',
    phase: 'production',
    severity: 'warning',
    summary: 'An HTTP server with no read timeout: http.ListenAndServe and friends, or an http.Server without ReadHeaderTimeout or ReadTimeout.',
    proverb: proverbs.serverTimeouts,
    fixable: false,
    example: {
      bad: 'log.Fatal(http.ListenAndServe(":8080", mux))',
      good: 'srv := &http.Server{\n\tAddr:              ":8080",\n\tHandler:           mux,\n\tReadHeaderTimeout: 5 * time.Second,\n}\nlog.Fatal(srv.ListenAndServe())',
    },
    docs: `## What it flags
Outside \`_test.go\` files:
- a call of net/http's package functions \`http.ListenAndServe\`, \`http.ListenAndServeTLS\`, \`http.Serve\` or
  \`http.ServeTLS\`: they serve with a zero \`http.Server\`, which has no timeouts and offers no way to set one. The
  finding is on the function.
- an \`http.Server{...}\` composite literal (also \`&http.Server{...}\`) that sets neither \`ReadHeaderTimeout\` nor
  \`ReadTimeout\`. The finding is on the type.

The \`net/http\` import may have any name (\`import nethttp "net/http"\`).

## Why
A server reads a request's headers until they are complete. With no read timeout it waits as long as the client
likes: a client that opens many connections and sends a byte of header every few seconds (the Slowloris attack)
holds a connection and a goroutine for each, until the server runs out of file descriptors or memory.
\`ReadHeaderTimeout\` bounds the time to read the headers (\`ReadTimeout\` the whole request, body included); a server
facing the Internet usually wants \`WriteTimeout\` and \`IdleTimeout\` too.

## Bad
\`\`\`go
log.Fatal(http.ListenAndServe(":8080", mux))
\`\`\`

## Good
\`\`\`go
srv := &http.Server{
	Addr:              ":8080",
	Handler:           mux,
	ReadHeaderTimeout: 5 * time.Second,
}
log.Fatal(srv.ListenAndServe())
\`\`\`

## Left alone
- A server on a loopback address written as a literal (\`http.ListenAndServe("localhost:6060", nil)\`,
  \`Addr: "127.0.0.1:8080"\`): only the same machine can reach it. Any other address (\`":8080"\`, \`"0.0.0.0:80"\`, a
  flag or a configuration field) may be reached from elsewhere.
- A literal whose timeout is set once it is built, in the same declaration (\`srv.ReadHeaderTimeout = d\` or
  \`srv.ReadTimeout = d\`).
- \`_test.go\` files and test-support packages (named \`...test\`, \`...testing\`, \`testutil\`, \`testhelpers\`,
  \`testenv\`: \`httptest\`, \`goproxytest\`, \`awstesting\`): their servers listen on the loopback interface for the
  test's own client.
- The \`Config\` of an \`httptest.Server\` (\`&httptest.Server{Listener: l, Config: &http.Server{...}}\`): a test
  server, as above.
- Lines silenced for gosec's own version of the check: \`// #nosec G112\`, \`// #nosec G114\`, a bare \`#nosec\`, or
  golangci-lint's \`//nolint:gosec\`, at the end of the line or alone on the line above.
- Generated files, as for every rule.

## Approximations
The check reads the literal's keys: a Server copied from a configured one, or whose timeouts are set through a
field path the rule does not see (\`s.http.ReadTimeout = d\` in another function), is reported. A setting in the
same declaration is recognised by its text (\`.ReadHeaderTimeout =\`), whichever variable it is on.

## Links
- [net/http: Server](https://pkg.go.dev/net/http#Server)
- [The complete guide to Go net/http timeouts](https://blog.cloudflare.com/the-complete-guide-to-golang-net-http-timeouts/)
- peer: gosec G112 (Server literal without ReadHeaderTimeout) and G114 (package serving functions)`,
  },
  appliesTo: (file) => !file.isTestFile && !isTestSupportPackage(file.packageName ?? '') && httpNames(file).length > 0,
  anchors: {
    text: (file) => httpNames(file).map((name) => `${name}.`),
    accept: (text, at, anchor) => SERVING_TEXT.test(text.slice(at + anchor.length, at + anchor.length + 24)),
    nodeTypes: ['call_expression', 'composite_literal'],
  },
  visit(node: Node, ctx) {
    if (node.type === 'call_expression') checkCall(node, ctx);
    else checkLiteral(node, ctx);
  },
};
