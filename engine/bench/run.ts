/** Runs every benchmark: `npm run bench` (tsx with the same young-generation flag as `npm start`). */
import { benchCaseListing } from './case-listing.js';
import { benchCovered } from './covered.js';
import { benchPeriodReview } from './period-review.js';
import { benchPipeline } from './pipeline.js';
import { benchReports } from './reports.js';
import { benchRuntime } from './runtime.js';
import { benchStore } from './store.js';
import { benchTasksInbox } from './tasks-inbox.js';

// The young generation's size moves every figure below (see the README): say which one this run has.
const semiSpace = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].find((arg) => arg.startsWith('--max-semi-space-size'));
console.log(`Node ${process.version}, ${semiSpace ?? "V8's default young generation (no --max-semi-space-size)"}`);

await benchStore();
await benchPipeline();
await benchCovered();
await benchCaseListing();
await benchRuntime();
await benchReports();
await benchPeriodReview();
await benchTasksInbox();
