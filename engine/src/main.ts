/** Starts the engine: store, definitions from disk, demo data, HTTP on PORT. */
import { createEngine, publishDefinitionsFromDisk } from './app.js';
import { loadConfig } from './config.js';
import { readDemoData, seedDemoData } from './demo/seed.js';
import { MailCatcher } from './notifications/mail-catcher.js';

/** With demo data and no SMTP server configured, e-mail goes to a local catcher shown at /demo/mail. */
async function demoMailCatcher(port: number): Promise<{ catcher: MailCatcher; port: number }> {
  const catcher = new MailCatcher({ port });
  try {
    return { catcher, port: await catcher.start() };
  } catch {
    const any = new MailCatcher({ port: 0 }); // the port is taken (another engine): any free one
    return { catcher: any, port: await any.start() };
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const demoMail = config.demoDataFile && !config.mail.smtpUrl ? await demoMailCatcher(config.mailCatcherPort) : null;
  if (demoMail) config.mail.smtpUrl = `smtp://127.0.0.1:${demoMail.port}`;
  const engine = await createEngine(config, { logger: { level: process.env.LOG_LEVEL ?? 'info' }, ...(demoMail ? { mailCatcher: demoMail.catcher } : {}) });
  const report = await publishDefinitionsFromDisk(engine.services);
  const log = engine.http.log;
  log.info({ published: report.published.map((d) => `${d.kind}:${d.key}@${d.version}`), unchanged: report.unchanged }, 'definitions loaded');

  let demo;
  if (config.demoDataFile) demo = await seedDemoData(engine.services, await readDemoData(config.demoDataFile));

  const shutdown = async (signal: string) => {
    log.info(`${signal}: shutting down`);
    await engine.close();
    await demoMail?.catcher.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await engine.http.listen({ port: config.port, host: config.host });
  // Fires timers that fell due while the engine was down, then polls for due ones.
  engine.services.timerScheduler.start(config.timerPollSeconds);
  // Retries follow-ups (work after a committed write) that failed, once their backoff has passed.
  engine.services.followUps.start();
  engine.services.delivery?.start(config.delivery.pollSeconds);
  engine.services.retention.start(config.retention.hour);
  // Deliverable reminders and overdue alerts: today's run if its time has passed, then daily.
  engine.services.deliverableReminders.start();
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const lines = [
    '',
    `Engine running at ${url}   (API docs: ${url}/docs)`,
    `Store: ${engine.services.store.kind}${engine.services.store.kind === 'embedded' ? ` in ${config.dataDir}` : ''}`,
    `Definitions: ${report.published.length} published now, ${report.unchanged} unchanged`,
    engine.services.delivery ? `E-mail: via ${demoMail ? `the demo mail catcher on port ${demoMail.port}: see ${url}/demo/mail` : 'SMTP_URL'}` : 'E-mail: not sent (no SMTP_URL); notifications stay queued',
  ];
  if (demo) {
    lines.push(demo.seeded ? 'Demo data loaded. Demo logins:' : 'Demo data already present. Demo logins:');
    for (const login of demo.logins) lines.push(`  ${login.email.padEnd(34)} ${login.roles.join(', ')}`);
    lines.push(`  password for every demo login: ${demo.password}`);
  }
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
