/**
 * bpmn-elements' timer event definition, made to leave every firing decision to the
 * runtime's durable timers. Left alone, bpmn-elements computes an expiry from the real clock
 * and, when it resumes an engine whose expiry has passed in real time, completes the timer
 * itself, inside recovery: early when the runtime's due time (business days, county time zone,
 * the test clock) is later, and without the scheduler recording the firing. Here the expiry it
 * sees is always in the far future, so it hands every timer to `DurableTimers`, which fires it
 * when the durable due time comes.
 */
import { TimerEventDefinition } from 'bpmn-elements';

/** The latest date JavaScript can represent. */
const NEVER = new Date(8_640_000_000_000_000);

export class DurableTimerEventDefinition extends (TimerEventDefinition as unknown as new (...args: any[]) => any) {
  /** An expiry saved in the engine state (by earlier versions, from the real clock) is not used either. */
  _getTimers(executeMessage: { content: Record<string, unknown> }) {
    const { expireAt: _saved, ...content } = executeMessage.content;
    return super._getTimers({ ...executeMessage, content });
  }

  parse(timerType: string, value: string) {
    const parsed = super.parse(timerType, value); // still validates the value and reads a cycle's repetitions
    return { ...parsed, expireAt: NEVER, delay: NEVER.getTime() - Date.now() };
  }
}
