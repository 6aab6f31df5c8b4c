/** "Preview of values", as Grafana shows under a variable's editor: the variable support's answer, run for real. */
import React, { useEffect, useState } from 'react';
import type { DataQueryRequest, TimeRange } from '@grafana/data';

import type { DataSource } from '../../../src/datasource';
import type { CloudTrailInsightsVariableQuery } from '../../../src/types';
import type { CloudTrailInsightsVariableSupport } from '../../../src/variables';

interface Props {
  datasource: DataSource;
  query: CloudTrailInsightsVariableQuery;
  range: TimeRange;
}

export function VariablePreview({ datasource, query, range }: Props) {
  const [answer, setAnswer] = useState<{ texts: string[]; error?: string }>({ texts: [] });
  useEffect(() => {
    const support = datasource.variables as CloudTrailInsightsVariableSupport;
    const request = {
      targets: [query],
      range,
      scopedVars: {},
    } as unknown as DataQueryRequest<CloudTrailInsightsVariableQuery>;
    const subscription = support.query(request).subscribe((response) => {
      const text = response.data[0]?.fields.find((field: { name: string }) => field.name === 'text');
      setAnswer({ texts: text ? [...text.values] : [], error: response.errors?.[0]?.message });
    });
    return () => subscription.unsubscribe();
  }, [datasource, query, range]);
  return (
    <div data-testid="variable-preview">
      <h4>Preview of values ({answer.texts.length})</h4>
      {answer.error && <p role="alert">{answer.error}</p>}
      <ul>
        {answer.texts.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </div>
  );
}
