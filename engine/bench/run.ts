/** Runs every benchmark: `npx tsx engine/bench/run.ts` (npm run bench). */
import { benchCaseListing } from './case-listing.js';
import { benchCovered } from './covered.js';
import { benchPeriodReview } from './period-review.js';
import { benchPipeline } from './pipeline.js';
import { benchReports } from './reports.js';
import { benchRuntime } from './runtime.js';
import { benchStore } from './store.js';
import { benchTasksInbox } from './tasks-inbox.js';

await benchStore();
await benchPipeline();
await benchCovered();
await benchCaseListing();
await benchRuntime();
await benchReports();
await benchPeriodReview();
await benchTasksInbox();
