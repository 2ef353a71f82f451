import type { Clock } from '../clock';
import { filterByNeeds, requestNeeds, type SkippedTarget } from './needs';
import type { RoutePlan } from './resolve';
import { ConversationStickiness, conversationKey, type StickinessOptions } from './sticky';
import { sameTarget, targetId } from './target';
import type { LiveTarget, RouteTarget } from './types';

/** The targets one request tries, in order, and those skipped before trying. */
export interface TargetOrder {
  targets: LiveTarget[];
  /** Targets whose model lacks what the request needs (for the honest answer when none remain). */
  skipped: SkippedTarget[];
  /** The conversation's key, to pass back to `served`; null when the request is not part of one. */
  conversation: string | null;
}

/** `targets` turned so that index `start` comes first: [a,b,c] by 1 → [b,c,a]. */
export function rotate<T>(targets: readonly T[], start: number): T[] {
  if (targets.length === 0) return [];
  const at = ((start % targets.length) + targets.length) % targets.length;
  return [...targets.slice(at), ...targets.slice(0, at)];
}

/** `targets` with the one matching `first` (a `{provider}/{model}` id) moved to the front. */
export function preferTarget(targets: readonly LiveTarget[], first: string | null): LiveTarget[] {
  const index = first === null ? -1 : targets.findIndex((t) => targetId(t) === first);
  return index <= 0 ? [...targets] : [targets[index]!, ...targets.slice(0, index), ...targets.slice(index + 1)];
}

/**
 * Orders a plan's targets for one request: those that lack a needed capability are skipped; a
 * spread route starts one target further on each request; a conversation goes first to the target
 * that served it last (while that target can serve, the pool takes it; when it cannot, the pool
 * moves on and `served` records the new one). A single-target plan has nothing to order.
 */
export class RoutePlanner {
  private readonly sticky: ConversationStickiness;
  private readonly turns = new Map<string, number>();

  constructor(clock: Clock, options: StickinessOptions = {}) {
    this.sticky = new ConversationStickiness(clock, options);
  }

  order(plan: RoutePlan, body: Record<string, unknown>): TargetOrder {
    const { kept, skipped } = filterByNeeds(plan.targets, requestNeeds(body));
    if (plan.route === null || plan.targets.length < 2) return { targets: kept, skipped, conversation: null };
    const conversation = conversationKey(plan.route, body);
    let targets = kept;
    if (plan.spread) {
      const key = plan.route.toLowerCase();
      const turn = this.turns.get(key) ?? 0;
      this.turns.set(key, turn + 1);
      targets = rotate(kept, turn);
    }
    return { targets: preferTarget(targets, this.sticky.preferred(conversation)), skipped, conversation };
  }

  /** The target that answered the request (call once it has served). */
  served(order: TargetOrder, target: RouteTarget): void {
    const match = order.targets.find((t) => sameTarget(t, target));
    if (match) this.sticky.remember(order.conversation, targetId(match));
  }
}
