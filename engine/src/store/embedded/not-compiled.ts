/**
 * Thrown by a compiled stage that meets input it does not handle the way mingo would (a value
 * without an equality key, an array on an $unwind path): the pipeline then runs from that
 * stage's input through mingo. Compiled stages never change their input, so that is safe.
 */
export class NotCompiled extends Error {
  override name = 'NotCompiled';
}
