/** JSON Forms' material inputs pass typing on after 300 ms; a save waits for it so nothing typed is lost. */
const INPUT_SETTLE_MS = 350;
/** Passing it on takes React a render and its effects, each a task of React's scheduler. */
const SCHEDULER_ROUNDS = 3;

/** A task queued behind the ones React's scheduler has queued (it posts them on a MessageChannel too). */
function afterQueuedTasks(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export async function settleInputs(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, INPUT_SETTLE_MS));
  // On a busy machine the 300 ms may have fired just before us, its value not yet through React.
  for (let round = 0; round < SCHEDULER_ROUNDS; round++) await afterQueuedTasks();
}
