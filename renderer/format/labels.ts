import type { AccountStatus, ProxyStatus } from '../../shared/snapshot';
import type { Strategy } from '../../shared/domain';

export const ACCOUNT_STATUS_LABEL: Record<AccountStatus, string> = {
  ok: 'Ready',
  cooling: 'Cooling down',
  invalid: 'Token invalid',
  disabled: 'Disabled',
  'circuit-open': 'Paused after failures',
  checking: 'Checking…',
  retired: 'Retired by the provider',
};

export const PROXY_STATUS_LABEL: Record<ProxyStatus, string> = {
  running: 'Running',
  stopped: 'Stopped',
  starting: 'Starting…',
  error: 'Not running',
};

export const STRATEGY_LABEL: Record<Strategy, string> = {
  sticky: 'Sticky — stay on one account until it reaches a limit',
  'round-robin': 'Round robin — take turns',
  'most-quota': 'Most quota left — pick the account with the most forecast headroom',
};
