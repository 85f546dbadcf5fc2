/** Child of the delivery crash test: queues notices and delivers them to the parent's SMTP server until it is killed. */
import { createHarness, openMatter, seedApproval } from '../runtime/harness.js';

const [dir, smtpPort] = process.argv.slice(2);
const h = await createHarness(dir);
await seedApproval(h);
h.config.mail = { ...h.config.mail, smtpUrl: `smtp://127.0.0.1:${smtpPort}` };
await h.close();
await h.open();
for (let i = 0; i < 3; i++) {
  const matter = await openMatter(h);
  await h.engine.services.notifier.notify({ id: `crash-${i}`, template: 'reminder', to: 'case:worker', caseId: matter._id });
}
process.stdout.write('QUEUED\n');
await h.engine.services.delivery!.runDue();
process.stdout.write('DONE\n'); // reached only if the parent did not kill us in time
setInterval(() => undefined, 1000);
