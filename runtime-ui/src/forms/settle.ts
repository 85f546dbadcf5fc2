/** JSON Forms' material inputs pass typing on after 300 ms; a save waits for it so nothing typed is lost. */
const INPUT_SETTLE_MS = 350;

export function settleInputs(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, INPUT_SETTLE_MS));
}
