import { useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { useAction, type ActionState } from '../hooks/use-action';
import { readNumber, validatePatch, type FieldErrors } from './validate';

export interface SettingsForm {
  errors: FieldErrors;
  action: ActionState;
  /**
   * `build` returns the patch, or field errors found while reading the boxes. The patch is then
   * checked against the shared schema; nothing is sent while any error remains.
   */
  save(build: () => { patch: SettingsPatch; errors: FieldErrors }, done?: string): void;
}

export function useSettingsForm(api: SwitchyardApi, onSaved: (settings: Settings) => void): SettingsForm {
  const [errors, setErrors] = useState<FieldErrors>({});
  const action = useAction();
  function save(build: () => { patch: SettingsPatch; errors: FieldErrors }, done = 'Saved.') {
    const built = build();
    const all = { ...validatePatch(built.patch), ...built.errors };
    setErrors(all);
    if (Object.keys(all).length > 0) {
      action.clear();
      return;
    }
    void action.run(
      () => api.updateSettings(built.patch),
      (settings) => {
        onSaved(settings);
        return done;
      },
    );
  }
  return { errors, action, save };
}

/**
 * Reads numeric text boxes into patch entries: `{ [key]: number }`, or `{}` and an error under
 * `path` when the box is empty or not a number.
 */
export function numberReader(): { errors: FieldErrors; entry<K extends string>(key: K, raw: string, path: string): Partial<Record<K, number>> } {
  const errors: FieldErrors = {};
  return {
    errors,
    entry(key, raw, path) {
      const result = readNumber(raw, path);
      if ('error' in result) {
        errors[path] = result.error;
        return {};
      }
      return { [key]: result.value } as Partial<Record<typeof key, number>>;
    },
  };
}
