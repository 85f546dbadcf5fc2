/** Starts a real engine (embedded store on a temp folder, CTS definitions, demo data) for API tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { createEngine, publishDefinitionsFromDisk, type Engine } from '../../engine/src/app.js';
import { NodemailerMailer, type MailMessage } from '../../engine/src/auth/mailer.js';
import type { Clock } from '../../engine/src/clock.js';
import { loadConfig, type EngineConfig } from '../../engine/src/config.js';
import { readDemoData, seedDemoData } from '../../engine/src/demo/seed.js';
import type { MailCatcher } from '../../engine/src/notifications/mail-catcher.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'Demo-Pass-2026!';

/** An e-mail the engine sent, as given to the mailer and as nodemailer rendered it. */
export interface SentMail extends MailMessage {
  raw: string;
}

export interface TestEngine {
  engine: Engine;
  config: EngineConfig;
  /** Every e-mail sent (nodemailer's stream transport: rendered, never delivered). */
  mail: SentMail[];
  /** Signs in and returns a client whose requests carry the session cookie and the CSRF token. */
  login(email: string, password?: string): Promise<Client>;
  anonymous: Client;
  stop(): Promise<void>;
}

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  raw: string;
}

export interface Client {
  cookie?: string;
  csrfToken?: string;
  request(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(url: string): Promise<Reply>;
  post(url: string, payload?: unknown): Promise<Reply>;
  put(url: string, payload?: unknown): Promise<Reply>;
}

function clientFor(engine: Engine, cookie?: string, csrfToken?: string): Client {
  const request = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await engine.http.inject({
      method: method as any,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}), ...headers },
      ...(payload === undefined ? {} : typeof payload === 'string' || Buffer.isBuffer(payload) ? { payload } : { payload: payload as object }),
    });
    let body: any = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.statusCode, body, headers: res.headers as Record<string, unknown>, raw: res.body };
  };
  return {
    cookie,
    csrfToken,
    request,
    get: (url) => request('GET', url),
    post: (url, payload) => request('POST', url, payload ?? {}),
    put: (url, payload) => request('PUT', url, payload ?? {}),
  };
}

export async function startTestEngine(overrides: Partial<EngineConfig> = {}, options: { clock?: Clock; mailCatcher?: MailCatcher; demoData?: string } = {}): Promise<TestEngine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cts-api-'));
  const config: EngineConfig = {
    ...loadConfig({ DATA_DIR: dataDir }),
    formsDir: path.join(repoRoot, 'forms'),
    processesDir: path.join(repoRoot, 'processes'),
    mongodbUri: undefined,
    ...overrides,
  };
  const mail: SentMail[] = [];
  const mailer = new NodemailerMailer(nodemailer.createTransport({ streamTransport: true, buffer: true }), config.mail.from, (message, info) => {
    mail.push({ ...message, raw: String((info as { message: Buffer }).message) });
  });
  const engine = await createEngine(config, { mailer, clock: options.clock, ...(options.mailCatcher ? { mailCatcher: options.mailCatcher } : {}) });
  await publishDefinitionsFromDisk(engine.services);
  await seedDemoData(engine.services, await readDemoData(options.demoData ?? path.join(repoRoot, 'test/fixtures/api-demo-data.json')));
  return {
    engine,
    config,
    mail,
    anonymous: clientFor(engine),
    async login(email, password = DEMO_PASSWORD) {
      const res = await engine.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.headers['set-cookie'];
      const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
      return clientFor(engine, String(first).split(';')[0], JSON.parse(res.body).csrfToken);
    },
    async stop() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A multipart/form-data body with fields first, then one file part. */
export function multipart(fields: Record<string, string>, file: { name: string; type: string; content: Buffer | string; field?: string }) {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`));
  chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
