// The package index's reader thread (bundled as server/out/indexWorker.js), started by the
// language server's WorkspacePackages. Reading and summarising a folder's files costs tens of
// milliseconds for a large package (net/http: 20-90 ms; one 10,000-line file alone up to 20 ms),
// which on the server's thread would hold up the diagnostics of a keystroke arriving meanwhile.
// Here it runs beside them: each file's summary is posted as soon as it is read, in a message
// small enough to take the server's thread no time to receive, then the folder's end.
import { parentPort, workerData } from 'node:worker_threads';
import { ForegroundWait } from './foregroundGate';
import type { IndexReply, IndexRequest } from './indexProtocol';
import { answerIndexRequest } from './indexReader';
import { lowerThisThreadPriority } from './threadPriority';

const port = parentPort;
if (!port) throw new Error('go-rubric: indexWorker.js runs only as a worker thread of the language server');
// Beside a keystroke's check, the folder read is what can wait (see threadPriority.ts).
lowerThisThreadPriority();
// And before each file it waits while the server checks a keystroke (see foregroundGate.ts).
const foreground = (workerData as { foreground?: SharedArrayBuffer } | undefined)?.foreground;
const wait = foreground ? new ForegroundWait(foreground) : undefined;
const beforeFile = () => wait?.untilQuiet();
const post = (reply: IndexReply) => port.postMessage(reply);
port.on('message', (request: IndexRequest) => answerIndexRequest(request, post, beforeFile));
