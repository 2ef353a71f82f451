import type { Plugin } from 'esbuild';
export const BUNDLED: string[];
export const UNDICI_AGENT: string;
export function leanPackages(options: { root: string; undiciAgent?: boolean }): Plugin;
