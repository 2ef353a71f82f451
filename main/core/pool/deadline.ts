import type { DispatchRequest } from './types';

/** The reason a request's signal aborts with when its deadline passed (not the client leaving). */
export class DeadlinePassed extends Error {
  constructor() {
    super('deadline');
  }
}

/** Whether the client itself is gone (a lent controller aborted by the deadline is not that). */
export const clientLeft = (req: Pick<DispatchRequest, 'signal'>): boolean => req.signal.aborted && !(req.signal.reason instanceof DeadlinePassed);
