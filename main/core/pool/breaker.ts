import { ConsecutiveBreaker } from 'cockatiel';

/** Consecutive 5xx / network failures that open an account's circuit. */
export const BREAKER_THRESHOLD = 5;
/** How long an open circuit stays open before one probe request is let through. */
export const HALF_OPEN_AFTER_MS = 30_000;

export type CircuitState =
  | { kind: 'closed' }
  | { kind: 'open'; openedAt: number; until: number }
  | { kind: 'half-open'; probing: boolean };

export type BreakerTransition = 'opened' | 'recovered' | null;

/**
 * A per-account circuit breaker on the pool's clock. cockatiel's ConsecutiveBreaker decides when
 * to open; the state machine lives here because cockatiel's own policy reads Date.now(), and the
 * pool must run on a virtual clock in tests and the quota bench.
 */
export class AccountBreaker {
  private rule: ConsecutiveBreaker;
  state: CircuitState = { kind: 'closed' };

  constructor(
    private readonly threshold = BREAKER_THRESHOLD,
    private readonly halfOpenAfterMs = HALF_OPEN_AFTER_MS,
  ) {
    this.rule = new ConsecutiveBreaker(threshold);
  }

  /** Consecutive failures since the last success or reset (cockatiel's own count). */
  get failures(): number {
    return this.rule.state;
  }

  /** A count restored from saved state (the circuit itself starts closed). */
  restoreFailures(failures: number): void {
    this.rule.state = Math.max(0, Math.floor(failures));
  }

  /** The state as a view should show it: an open circuit past its time is half-open. */
  view(now: number): 'closed' | 'open' | 'half-open' {
    if (this.state.kind === 'open') return now >= this.state.until ? 'half-open' : 'open';
    return this.state.kind;
  }

  /** When an open circuit lets a probe through; null when not open. */
  openUntil(now: number): number | null {
    if (this.state.kind === 'open' && now < this.state.until) return this.state.until;
    return null;
  }

  /** May a request go out now? (half-open: one probe at a time). */
  available(now: number): boolean {
    if (this.state.kind === 'closed') return true;
    if (this.state.kind === 'open') return now >= this.state.until;
    return !this.state.probing;
  }

  /** A request is going out on this account. */
  begin(now: number): void {
    if (this.state.kind === 'open' && now >= this.state.until) this.state = { kind: 'half-open', probing: true };
    else if (this.state.kind === 'half-open') this.state = { kind: 'half-open', probing: true };
  }

  /** The request ended without a verdict on the account's health (e.g. a 429, a client abort). */
  neutral(): void {
    if (this.state.kind === 'half-open') this.state = { kind: 'half-open', probing: false };
  }

  success(): BreakerTransition {
    this.rule.success();
    const wasOpen = this.state.kind !== 'closed';
    this.state = { kind: 'closed' };
    return wasOpen ? 'recovered' : null;
  }

  failure(now: number): BreakerTransition {
    const trips = this.rule.failure();
    if (this.state.kind === 'half-open' || (this.state.kind === 'closed' && trips)) {
      this.state = { kind: 'open', openedAt: now, until: now + this.halfOpenAfterMs };
      return 'opened';
    }
    return null;
  }

  /** Manual reset; true when a circuit was not closed. */
  reset(): boolean {
    this.rule = new ConsecutiveBreaker(this.threshold);
    const wasOpen = this.state.kind !== 'closed';
    this.state = { kind: 'closed' };
    return wasOpen;
  }
}
