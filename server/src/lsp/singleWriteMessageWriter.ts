// A stdio message writer that sends each LSP message (header and content) in one write.
// vscode-jsonrpc's stream writer writes the header, awaits, then writes the content: two system
// calls per message and, on a pipe, two wake-ups of the editor reading it. Diagnostics are
// published after every keystroke, so the second write is a measurable share of the latency.
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const content = Buffer.from(JSON.stringify(msg), 'utf8');
    const header = Buffer.from(`Content-Length: ${content.length}\r\n\r\n`, 'ascii');
    return new Promise((resolve, reject) => {
      // One write call per message also keeps messages whole and in order without a queue.
      this.stream.write(Buffer.concat([header, content]), (error) => {
        if (!error) return resolve();
        this.fireError(error, msg, ++this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}
