/**
 * A local SMTP server that keeps what it receives in memory, for demos and tests: the engine
 * delivers to it like to any SMTP server, and a demo user sees what the system sent on the
 * mail viewer page. It listens on loopback only and never relays anything.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  seq: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  cc: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

export interface MailCatcherOptions {
  port?: number;
  /** Messages kept (oldest dropped first). */
  keep?: number;
}

export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private server: SMTPServer | null = null;
  private seq = 0;

  constructor(private readonly options: MailCatcherOptions = {}) {}

  async start(): Promise<number> {
    const keep = this.options.keep ?? 500;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const text = (v: { text?: string } | { text?: string }[] | undefined) => (Array.isArray(v) ? v.map((x) => x.text ?? '').join(', ') : v?.text ?? '');
            this.messages.push({
              seq: ++this.seq,
              receivedAt: new Date(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: text(parsed.from),
              to: text(parsed.to),
              cc: text(parsed.cc),
              subject: parsed.subject ?? '',
              messageId: parsed.messageId ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            while (this.messages.length > keep) this.messages.shift();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
