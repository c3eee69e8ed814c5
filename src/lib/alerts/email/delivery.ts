import { ProblemReporter, startPeriodic } from '../../periodic';
import type { Mailer } from './mailer';
import type { DeliveryHooks, DeliveryResult, MailOutbox } from './outbox';

export interface MailDelivery {
  /**
   * One delivery pass. Passes never overlap: asked during a pass, it answers with one more pass
   * right after it (however many ask), so mail enqueued meanwhile does not wait for the timer.
   * Never rejects; problems go to `onError`.
   */
  runOnce(): Promise<DeliveryResult>;
  /** Stops the timer and waits for the pass under way. The mailer is the caller's to close. */
  stop(): Promise<void>;
}

export interface MailDeliveryOptions extends DeliveryHooks {
  outbox: MailOutbox;
  /** Undefined when SMTP_URL is unset: messages then stay pending, reported once. */
  mailer: Mailer | undefined;
  /** Between passes, in ms; 0 runs passes only on `runOnce`. */
  intervalMs: number;
  /** A failed pass or hook, or mail kept for want of a server; each distinct problem once in a row. */
  onError?: (error: Error) => void;
  /** @defaultValue Date.now */
  clock?: () => number;
  /** Whether this replica runs the timed passes now. @defaultValue always */
  active?: () => boolean;
}

const nothing = (): DeliveryResult => ({ sent: 0, failed: 0, retried: 0 });

/** Delivers the outbox on a timer, the way the exception intake gathers: unref'd, never throwing. */
export function startMailDelivery(options: MailDeliveryOptions): MailDelivery {
  const clock = options.clock ?? Date.now;
  // A server that stays down fails every pass the same way: one line, until something changes.
  const problems = new ProblemReporter((_source, error) => options.onError?.(error));
  const report = (error: Error) => problems.report('mail', error);

  const hooks: DeliveryHooks = {
    onSent: options.onSent,
    onFailed(message, error, final) {
      report(new Error(`alert email could not be sent: ${message.lastError}`));
      options.onFailed?.(message, error, final);
    },
  };

  async function pass(): Promise<DeliveryResult> {
    try {
      if (!options.mailer) {
        if (options.outbox.countPending() > 0) report(new Error('SMTP_URL is not set: alert email is kept in the outbox, unsent, until a mail server is configured'));
        return nothing();
      }
      const result = await options.outbox.deliverDue(options.mailer, clock(), hooks);
      // Only mail that went out shows the problem is over; a pass with nothing due shows nothing.
      if (result.sent > 0 && result.failed + result.retried === 0) problems.clear('mail');
      return result;
    } catch (error) {
      report(error instanceof Error ? error : new Error(String(error)));
      return nothing();
    }
  }

  return startPeriodic(pass, { intervalMs: options.intervalMs, whenBusy: 'again', idle: nothing, active: options.active });
}
