/**
 * Sending e-mail: a one-method interface, implemented with nodemailer. Without an SMTP
 * address configured, messages are rendered and dropped with a warning that names only
 * the recipient and subject (the body may hold a password or a reset link).
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface MailConfig {
  /** Sender address of every message. */
  from: string;
  /** SMTP server, e.g. smtp://user:pass@host:587; unset to send nothing. */
  smtpUrl?: string;
}

export class NodemailerMailer implements Mailer {
  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
    /** Called with each message once the transport took it (and with what the transport returned). */
    private readonly onSent?: (message: MailMessage, info: unknown) => void,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, ...message });
    this.onSent?.(message, info);
  }
}

export function mailerFromConfig(config: MailConfig): Mailer {
  if (config.smtpUrl) return new NodemailerMailer(nodemailer.createTransport(config.smtpUrl), config.from);
  return new NodemailerMailer(nodemailer.createTransport({ streamTransport: true, buffer: true }), config.from, (message) => {
    console.warn(`E-mail "${message.subject}" to ${message.to} was not sent: no SMTP_URL is configured.`);
  });
}
