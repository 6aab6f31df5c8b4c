/**
 * Data source settings: the same connection section every Grafana AWS data source shows
 * (@grafana/aws-sdk ConnectionConfig), with the region list taken from the backend when it answers.
 */
import React, { useCallback } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConnectionConfig, Divider, standardRegions } from '@grafana/aws-sdk';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, Input, Text } from '@grafana/ui';
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { RESOURCE_PATHS, type ResourceOption } from '../shared/resources';
import {
  DEFAULT_MAX_EXPANDED_QUERIES,
  type CloudTrailInsightsOptions,
  type CloudTrailInsightsSecureJsonData,
} from '../types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<
  CloudTrailInsightsOptions,
  CloudTrailInsightsSecureJsonData
>;

/**
 * Regions come from the saved data source's `regions` resource; before the first save (or if the
 * backend cannot answer) the SDK's standard list stays in place.
 */
export async function loadRegionsFor(uid: string | undefined): Promise<string[]> {
  if (!uid) {
    return standardRegions;
  }
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<ResourceOption[]>({
        url: `/api/datasources/uid/${uid}/resources/${RESOURCE_PATHS.regions}`,
        method: 'GET',
        showErrorAlert: false,
      })
    );
    const regions = Array.isArray(response.data) ? response.data.map((option) => option.value) : [];
    return regions.length > 0 ? regions : standardRegions;
  } catch {
    return standardRegions;
  }
}

export function ConfigEditor(props: ConfigEditorProps) {
  const uid = props.options.uid;
  const loadRegions = useCallback(() => loadRegionsFor(uid), [uid]);
  return (
    <>
      <ConnectionConfig
        {...props}
        standardRegions={standardRegions}
        loadRegions={loadRegions}
        defaultEndpoint="https://cloudtrail.{region}.amazonaws.com"
      />
      <Divider />
      <ConfigSection
        title="Queries"
        description="Limits that keep one dashboard from queueing more than CloudTrail can answer."
      >
        <Field
          label="Max expanded queries"
          description={`Most queries one panel query may expand into through multi-value variables (All regions × All event names …). Each is a series CloudTrail serves at 1 call per second. Default ${DEFAULT_MAX_EXPANDED_QUERIES}.`}
        >
          <Input
            id="cloudtrail-max-expanded-queries"
            type="number"
            min={1}
            width={12}
            placeholder={String(DEFAULT_MAX_EXPANDED_QUERIES)}
            defaultValue={props.options.jsonData.maxExpandedQueries ?? ''}
            onBlur={(event) => {
              const value = Number(event.currentTarget.value);
              props.onOptionsChange({
                ...props.options,
                jsonData: {
                  ...props.options.jsonData,
                  maxExpandedQueries: Number.isInteger(value) && value > 0 ? value : undefined,
                },
              });
            }}
          />
        </Field>
      </ConfigSection>
      <Divider />
      <ConfigSection title="Permissions" description="What the credentials above need in IAM.">
        <Text element="p" color="secondary">
          <code>cloudtrail:LookupEvents</code> (metrics and the editors&apos; lists),{' '}
          <code>cloudtrail:DescribeTrails</code> and <code>cloudtrail:GetInsightSelectors</code> (health check), plus{' '}
          <code>cloudtrail:ListInsightsData</code> for Insights on a trail&apos;s data events. CloudTrail Insights must
          be enabled on a trail in each region you query.
        </Text>
      </ConfigSection>
    </>
  );
}
