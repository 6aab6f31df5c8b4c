/**
 * A labelled select filled from one backend resource list. It always accepts free text and
 * dashboard variables, shows loading while the list is fetched, and names the failure in place.
 */
import React, { useMemo } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Combobox, type ComboboxOption } from '@grafana/ui';

import type { ResourceParams, ResourcePath } from '../shared/resources';
import type { ResourceFieldSource } from '../types';
import { useResourceOptions } from './useResourceOptions';

export interface ResourceFieldProps {
  id: string;
  label: string;
  datasource: ResourceFieldSource;
  path: ResourcePath;
  /** Filters for the list (e.g. the event source for event names); changing them reloads it. */
  params?: ResourceParams;
  value: string | undefined;
  onChange: (value: string) => void;
  /** The validator's message for this field, shown in place. */
  validationError?: string;
  placeholder?: string;
  tooltip?: string;
  optional?: boolean;
  /** The narrowest the field gets, in grid units (8 px); it grows with a longer value. */
  width?: number;
}

export function ResourceField(props: ResourceFieldProps) {
  const { id, label, datasource, path, params = {}, value, onChange, validationError } = props;
  const { options, loading, error } = useResourceOptions(datasource, path, params);

  const choices = useMemo(() => {
    const list: Array<ComboboxOption<string>> = options.map((option) => ({ ...option }));
    for (const variable of datasource.variableNames()) {
      list.push({ value: variable, label: variable, description: 'Dashboard variable' });
    }
    return list;
  }, [options, datasource]);

  // Typed text (a custom value) arrives as typed: trim it; clearing an optional field empties it.
  const choose = (selected: ComboboxOption<string> | null) => onChange(selected?.value.trim() ?? '');
  const message = [validationError, error].filter(Boolean).join(' ');
  return (
    <EditorField
      label={label}
      htmlFor={id}
      tooltip={props.tooltip}
      optional={props.optional}
      invalid={Boolean(message)}
      error={message || undefined}
    >
      {/* aria-busy says the list is still loading. The fragment keeps Field from cloning its
          invalid/loading props onto the div; the Combobox gets them itself. */}
      <>
        <div aria-busy={loading} data-testid={`${id}-field`}>
          <Combobox<string>
            id={id}
            aria-label={label}
            data-testid={`${id}-select`}
            options={choices}
            // A value not in the list (typed, or from a saved query) shows as itself.
            value={value || null}
            loading={loading}
            createCustomValue
            customValueDescription="Use this value"
            placeholder={props.placeholder}
            invalid={Boolean(message)}
            // Grows with long names (AuthorizeSecurityGroupIngress…) instead of truncating them.
            width="auto"
            minWidth={props.width ?? 30}
            {...(props.optional ? { isClearable: true as const, onChange: choose } : { onChange: choose })}
          />
        </div>
      </>
    </EditorField>
  );
}
