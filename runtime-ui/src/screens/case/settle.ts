/**
 * JSON Forms' material inputs hand their value on after a short pause or on blur. Before a
 * save, blur the field being typed in and let that value arrive, so nothing typed is lost.
 */
export async function settleInputs(): Promise<void> {
  (document.activeElement as HTMLElement | null)?.blur?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
