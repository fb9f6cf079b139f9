// GR402 no-graceful-shutdown: a program (package main) that serves HTTP and never shuts its server
// down: no Server.Shutdown and no signal handling anywhere in the package. When it is stopped
// (a deploy, a scale-down: SIGTERM), the requests in flight are cut off mid-response.
import type { Node } from 'web-tree-sitter';
import { calleeOf, callArguments, isImportedPackageName, topLevelDeclaration } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { httpNames, isLoopbackAddress, isServerLiteral, serveCall } from './httpSyntax';
import { proverbs } from './proverbs';

/** The Server methods that serve until the server is closed, and how many arguments each takes. */
const SERVE_METHODS: ReadonlyMap<string, number> = new Map([
  ['ListenAndServe', 0],
  ['ListenAndServeTLS', 2],
  ['Serve', 1],
  ['ServeTLS', 3],
]);

/**
 * Whether a method call serves with an http.Server: `srv.ListenAndServe()` (the method's arity is
 * telltale enough), or `Serve(l)`/`ServeTLS(l, c, k)` on a Server literal or on a variable bound to
 * one in the same declaration (gRPC servers have a `Serve(l)` too).
 */
function isServerMethodCall(call: Node, ctx: RuleContext): boolean {
  const callee = calleeOf(call);
  const arity = callee && SERVE_METHODS.get(callee.name);
  if (arity === undefined || !callee?.operand || isImportedPackageName(callee.operand, ctx.file.imports)) return false;
  if (callArguments(call).length !== arity) return false;
  if (callee.name.startsWith('ListenAndServe')) return true;
  let operand = callee.operand;
  while (operand.type === 'parenthesized_expression' || operand.type === 'unary_expression') operand = operand.namedChildren.at(-1) ?? operand;
  if (operand.type === 'composite_literal') return isServerLiteral(operand, ctx.file.imports);
  if (operand.type !== 'identifier') return false;
  const decl = topLevelDeclaration(call);
  const name = operand.text.replace(/[^\w]/g, '');
  const bound = new RegExp(`\\b${name}\\s*:?=\\s*&?\\s*(?:${httpNames(ctx.file).join('|')})\\s*\\.\\s*Server\\s*\\{`);
  return bound.test(ctx.file.text.slice(decl.startIndex, decl.endIndex));
}

/**
 * Whether the function that serves with `srv` also closes it (`defer srv.Close()`): a server the
 * program starts for a while and stops itself (a challenge responder, a callback listener).
 */
function closedHere(call: Node, ctx: RuleContext): boolean {
  const operand = calleeOf(call)?.operand;
  if (operand?.type !== 'identifier') return false;
  const decl = topLevelDeclaration(call);
  return new RegExp(`\\b${operand.text}\\s*\\.\\s*Close\\s*\\(\\s*\\)`).test(ctx.file.text.slice(decl.startIndex, decl.endIndex));
}

export const noGracefulShutdown: Rule = {
  meta: {
    code: 'GR402',
    name: 'no-graceful-shutdown',
    phase: 'production',
    severity: 'information',
    summary: 'A program that serves HTTP with no signal handling and no Server.Shutdown, so stopping it cuts requests off.',
    proverb: proverbs.gracefulShutdown,
    fixable: false,
    example: {
      bad: 'func main() {\n\tsrv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}\n\tlog.Fatal(srv.ListenAndServe())\n}',
      good: 'func main() {\n\tctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)\n\tdefer stop()\n\tsrv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}\n\tgo func() {\n\t\tif err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {\n\t\t\tlog.Fatal(err)\n\t\t}\n\t}()\n\t<-ctx.Done()\n\tshutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)\n\tdefer cancel()\n\tif err := srv.Shutdown(shutdownCtx); err != nil {\n\t\tlog.Print(err)\n\t}\n}',
    },
    docs: `## What it flags
In a \`package main\` file (not a \`_test.go\` file) that imports \`net/http\`, a call that serves HTTP until the
process dies: \`http.ListenAndServe\`, \`http.ListenAndServeTLS\`, \`http.Serve\`, \`http.ServeTLS\`, or a Server's
\`srv.ListenAndServe()\` / \`srv.ListenAndServeTLS(cert, key)\` (and \`Serve(l)\` / \`ServeTLS(l, cert, key)\` on a
variable bound to an \`http.Server\` literal in the same function) — when no function of the package calls
\`.Shutdown(\` or \`signal.Notify\` / \`signal.NotifyContext\`, and the file does not import \`os/signal\`. The finding
is on the serving call.

## Why
A server in production is stopped by a signal (SIGTERM from the orchestrator on every deploy or scale-down,
SIGINT from a terminal). A program that does not catch it dies at once: connections are dropped with requests
half-served, and clients see resets and truncated responses. \`Server.Shutdown\` closes the listeners, lets the
requests in flight finish (up to a deadline you choose) and then returns; \`signal.NotifyContext\` gives the
context to wait on before calling it.

## Bad
\`\`\`go
func main() {
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
\`\`\`

## Good
\`\`\`go
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Print(err)
	}
}
\`\`\`

## Left alone
- Packages other than \`main\`: a library's server is shut down by the program that runs it.
- A package where any function calls \`.Shutdown(\` or \`signal.Notify\`/\`signal.NotifyContext\` (in any file, with
  the workspace index), or a file that imports \`os/signal\`: the program has a way to stop.
- A Server the same function closes (\`defer srv.Close()\`): a server the program runs for a while and stops itself.
- A server on a loopback address written as a literal (\`http.ListenAndServe("localhost:6060", nil)\`): a debug
  endpoint beside the real server, not what users are served by.
- \`_test.go\` files, and generated files as for every rule.

## Approximations
Shutdown and signal handling are found by their text in the package's function bodies, not followed from the
serving call: a program that handles signals but never shuts this particular server down is left alone. Signal
handling through a framework (a library's \`SetupSignalHandler\`) is not recognised.

## Links
- [net/http: Server.Shutdown](https://pkg.go.dev/net/http#Server.Shutdown)
- [os/signal: NotifyContext](https://pkg.go.dev/os/signal#NotifyContext)
- peer: none in go vet, staticcheck or gosec`,
  },
  appliesTo: (file) => file.packageName === 'main' && !file.isTestFile && httpNames(file).length > 0 && !file.imports.has('os/signal'),
  anchors: {
    text: () => ['ListenAndServe', 'ListenAndServeTLS', 'Serve', 'ServeTLS'],
    accept: (text, at, anchor) => /^\s*\(/.test(text.slice(at + anchor.length, at + anchor.length + 4)) && text[at - 1] === '.',
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    const serve = serveCall(call, ctx.file.imports);
    if (serve ? serve.name.startsWith('Listen') && isLoopbackAddress(serve.address) : !isServerMethodCall(call, ctx) || closedHere(call, ctx)) return;
    if (ctx.pkg.get('g:shutdown') !== undefined) return;
    const callee = calleeOf(call);
    ctx.report({
      node: callee?.nameNode ?? call,
      message: "this program serves HTTP but never calls Shutdown nor handles SIGTERM/SIGINT: when it is stopped, the requests in flight are cut off; wait for the signal (signal.NotifyContext) and call the server's Shutdown with a deadline",
    });
  },
};
