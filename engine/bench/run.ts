/** Runs every benchmark: `npx tsx engine/bench/run.ts` (npm run bench). */
import { benchStore } from './store.js';

await benchStore();
