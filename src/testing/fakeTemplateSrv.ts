/**
 * A small stand-in for Grafana's TemplateSrv (which lives in Grafana core and is not published),
 * following its documented rules: `$name`, `${name}`, `${name:format}`, `[[name]]`; scoped
 * variables win; `All` means every option; a multi-value is formatted as `{a,b}` by default;
 * an unknown name is left as typed. Used only by unit tests.
 */
import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export interface FakeVariable {
  name: string;
  /** A string, several strings (multi-value) or `$__all`. */
  current: string | string[];
  options?: string[];
}

const REFERENCE = /\$([A-Za-z0-9_]+)|\$\{([A-Za-z0-9_]+)(?::([^}]*))?\}|\[\[([A-Za-z0-9_]+)(?::([^\]]*))?\]\]/g;

type Format = string | Function | undefined;

function format(value: string | string[], fmt: Format, variable: unknown): string {
  if (typeof fmt === 'function') {
    return fmt(value, variable);
  }
  if (fmt === 'json') {
    return JSON.stringify(value);
  }
  if (fmt === 'csv') {
    return Array.isArray(value) ? value.join(',') : value;
  }
  return Array.isArray(value) ? (value.length > 1 ? `{${value.join(',')}}` : (value[0] ?? '')) : value;
}

export class FakeTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: FakeVariable[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables.map((variable) => ({ name: variable.name, type: 'custom' }) as unknown as TypedVariableModel);
  }

  replace(target?: string, scopedVars?: ScopedVars, fmt?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(REFERENCE, (match, plain, braced, bracedFmt, bracketed, bracketedFmt) => {
      const name: string = plain ?? braced ?? bracketed;
      const scoped = scopedVars?.[name];
      if (scoped) {
        return format(String(scoped.value), fmt ?? bracedFmt ?? bracketedFmt, scoped);
      }
      const variable = this.variables.find((candidate) => candidate.name === name);
      if (!variable) {
        return match;
      }
      const value = variable.current === '$__all' ? (variable.options ?? []) : variable.current;
      return format(value, fmt ?? bracedFmt ?? bracketedFmt, variable);
    });
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && this.replace(target) !== target);
  }

  updateTimeRange(): void {}
}
