import type { IncomingHttpHeaders } from 'node:http';
import type { Plan } from '../../shared/domain';
import type { SimUser } from './options';
import { hashString } from './prng';

export interface KnownUser {
  login: string;
  plan: Plan;
  forbiddenModels: string[];
  id: number;
  avatarUrl: string;
}

/** Tokens → users. Tokens stay inside this map: nothing else in the simulator holds one. */
export class UserDirectory {
  private readonly byToken = new Map<string, KnownUser>();

  constructor(users: readonly SimUser[] = []) {
    this.set(users);
  }

  set(users: readonly SimUser[]): void {
    this.byToken.clear();
    for (const user of users) this.add(user);
  }

  add(user: SimUser): void {
    const id = user.id ?? 1_000_000 + (hashString(user.login.toLowerCase()) % 90_000_000);
    this.byToken.set(user.token, {
      login: user.login,
      plan: user.plan ?? 'free',
      forbiddenModels: user.forbiddenModels ?? [],
      id,
      avatarUrl: user.avatarUrl ?? `https://avatars.githubusercontent.com/u/${id}?v=4`,
    });
  }

  /** Removes every token of `tokenOrLogin` (a token, or a login matched case-insensitively). */
  remove(tokenOrLogin: string): void {
    if (this.byToken.delete(tokenOrLogin)) return;
    const login = tokenOrLogin.toLowerCase();
    for (const [token, user] of this.byToken) if (user.login.toLowerCase() === login) this.byToken.delete(token);
  }

  byLogin(login: string): KnownUser | null {
    const lower = login.toLowerCase();
    for (const user of this.byToken.values()) if (user.login.toLowerCase() === lower) return user;
    return null;
  }

  /** The user behind `Authorization: Bearer <token>` (or GitHub's `token <token>`), else null. */
  authenticate(headers: IncomingHttpHeaders): KnownUser | null {
    const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    return match?.[1] ? (this.byToken.get(match[1]) ?? null) : null;
  }
}
