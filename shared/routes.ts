import { z } from 'zod';

/**
 * Routes: a name a client sends as `model` that stands for an ordered list of targets
 * (`{provider}/{model}`). Shared by the settings (what a person saved), the engine and the views.
 */

/** `groq/llama-3.3-70b-versatile`, `openrouter/meta-llama/llama-3.3-70b-instruct:free`: the provider, a slash, the model. */
export const ROUTE_TARGET_PATTERN = /^[a-z][a-z0-9-]*\/\S+$/;
/** What clients send as `model`: no spaces, no leading slash. */
export const ROUTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

export const routeSettingSchema = z.object({
  name: z.string().trim().min(1, 'A route needs a name.').max(100, 'A route name is at most 100 characters long.').regex(ROUTE_NAME_PATTERN, 'A route name holds letters, digits and . _ : @ - only (no spaces or slashes).'),
  /** In order of preference; each `{provider}/{model}`. */
  targets: z
    .array(z.string().trim().regex(ROUTE_TARGET_PATTERN, 'A target is a provider id, a slash and the model, like groq/llama-3.3-70b-versatile.'))
    .min(1, 'A route needs at least one target.')
    .max(20, 'A route has at most 20 targets.'),
  /** Spread requests over the targets instead of trying them in order. */
  spread: z.boolean().default(false),
});
export type RouteSetting = z.infer<typeof routeSettingSchema>;

/** Routes as settings hold them; names are unique regardless of case. */
export const routeSettingsSchema = z
  .array(routeSettingSchema)
  .max(200)
  .superRefine((routes, ctx) => {
    const seen = new Set<string>();
    routes.forEach((route, index) => {
      const key = route.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `Two routes are named ${route.name}.` });
      seen.add(key);
      route.targets.forEach((target, at) => {
        if (route.targets.indexOf(target) !== at) ctx.addIssue({ code: 'custom', path: [index, 'targets', at], message: `${target} is already a target of ${route.name}.` });
      });
    });
  });

/** Where a route comes from: Settings, the config file, or the bundled table of model families. */
export type RouteOrigin = 'settings' | 'config' | 'family';

/**
 * One target's state as the dashboard shows it.
 * ready: some account can serve it. limited: every account is rate-limited (until the reset).
 * unavailable: accounts exist but none can serve (invalid, disabled, failing, credits).
 * dropped: the target cannot serve at all (no account of its provider, or its catalog lacks the model).
 */
export type RouteTargetState = 'ready' | 'limited' | 'unavailable' | 'dropped';

export interface RouteTargetView {
  /** `{provider}/{model}` */
  target: string;
  provider: string;
  model: string;
  state: RouteTargetState;
  /** Plain words for every state but ready (e.g. "no groq account"). */
  reason: string | null;
  /** Epoch ms when a limited target is expected to serve again. */
  until: number | null;
  /** Requests this target served through the route since start. */
  served: number;
  /** Requests that reached this target because an earlier one could not serve. */
  fallbacks: number;
  /** The target that served the route's latest request. */
  lastServed: boolean;
  /** What its catalog says the model does not take (it is skipped for requests that need it). */
  lacks: RouteNeed[];
}

/** What a request may need of a model, as catalogs state it: tools, images, a JSON schema response format. */
export type RouteNeed = 'tools' | 'vision' | 'jsonSchema';

export interface RouteView {
  name: string;
  origin: RouteOrigin;
  spread: boolean;
  targets: RouteTargetView[];
  /** When a person's route of this name hides a bundled family, or the config file hides a saved route. */
  shadows: RouteOrigin | null;
}
