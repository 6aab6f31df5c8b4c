/**
 * A labelled select filled from one backend resource list. It always accepts free text and
 * dashboard variables, shows loading while the list is fetched, and names the failure in place.
 */
import React, { useMemo } from 'react';
import type { SelectableValue } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { Select } from '@grafana/ui';

import type { ResourceParams, ResourcePath } from '../shared/resources';
import type { DataSource } from '../datasource';
import { useResourceOptions } from './useResourceOptions';

export interface ResourceFieldProps {
  id: string;
  label: string;
  datasource: DataSource;
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
  width?: number;
}

export function ResourceField(props: ResourceFieldProps) {
  const { id, label, datasource, path, params = {}, value, onChange, validationError } = props;
  const { options, loading, error } = useResourceOptions(datasource, path, params);

  const selectOptions = useMemo(() => {
    const list: Array<SelectableValue<string>> = options.map((option) => ({ ...option }));
    for (const variable of datasource.variableNames()) {
      list.push({ value: variable, label: variable, description: 'Dashboard variable' });
    }
    if (value && !list.some((option) => option.value === value)) {
      list.unshift({ value, label: value });
    }
    return list;
  }, [options, datasource, value]);

  const message = [validationError, error].filter(Boolean).join(' ');
  return (
    <EditorField
      label={label}
      htmlFor={id}
      tooltip={props.tooltip}
      optional={props.optional}
      invalid={Boolean(message)}
      error={message || undefined}
      width={props.width}
    >
      <Select
        inputId={id}
        aria-label={label}
        data-testid={`${id}-select`}
        options={selectOptions}
        value={value || null}
        isLoading={loading}
        allowCustomValue
        isClearable={props.optional}
        placeholder={props.placeholder}
        invalid={Boolean(message)}
        // Grows with long names (AuthorizeSecurityGroupIngress…) instead of truncating them.
        width="auto"
        minWidth={props.width ?? 30}
        onChange={(selected: SelectableValue<string> | null) => onChange(selected?.value ?? '')}
        onCreateOption={(text: string) => onChange(text.trim())}
        createOptionPosition="first"
        menuShouldPortal
      />
    </EditorField>
  );
}
