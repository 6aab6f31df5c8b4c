/**
 * A labelled choice from a fixed list (insight type, period, format, what a variable lists, …):
 * radio buttons for a few short choices, a Combobox for longer lists. The validator's message for
 * the field shows in place.
 */
import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Combobox, RadioButtonGroup } from '@grafana/ui';

export interface Choice<T extends string | number> {
  value: T;
  label: string;
  description?: string;
}

interface Props<T extends string | number> {
  label: string;
  options: Array<Choice<T>>;
  value: T | undefined;
  onChange: (value: T) => void;
  /** `select` needs an id: the input's, which the label points at. */
  as?: 'radio' | 'select';
  id?: string;
  error?: string;
  tooltip?: string;
  /** Select width in grid units (8 px); radios size to their labels. */
  width?: number;
}

export function OptionField<T extends string | number>(props: Props<T>) {
  const { label, options, value, onChange, error, as = 'radio' } = props;
  return (
    <EditorField
      label={label}
      htmlFor={as === 'select' ? props.id : undefined}
      tooltip={props.tooltip}
      invalid={Boolean(error)}
      error={error}
    >
      {as === 'select' ? (
        <Combobox<T>
          id={props.id}
          aria-label={label}
          options={options}
          value={value ?? null}
          onChange={(selected) => onChange(selected.value)}
          invalid={Boolean(error)}
          width={props.width ?? 24}
        />
      ) : (
        <RadioButtonGroup<T> options={options} value={value} onChange={onChange} />
      )}
    </EditorField>
  );
}
