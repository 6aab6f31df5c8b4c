/**
 * Data source settings: the same connection section every Grafana AWS data source shows
 * (@grafana/aws-sdk ConnectionConfig), with the region list taken from the backend when it answers.
 */
import React, { useCallback } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConnectionConfig, standardRegions } from '@grafana/aws-sdk';
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { RESOURCE_PATHS, type ResourceOption } from '../shared/resources';
import type { CloudTrailInsightsOptions, CloudTrailInsightsSecureJsonData } from '../types';

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
    <ConnectionConfig
      {...props}
      standardRegions={standardRegions}
      loadRegions={loadRegions}
      defaultEndpoint="https://cloudtrail.{region}.amazonaws.com"
    />
  );
}
