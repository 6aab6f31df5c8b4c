import React, { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourcePluginContextProvider, EventBusSrv, type DataSourceSettings } from '@grafana/data';
import { config, setAppEvents, setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { standardRegions } from '@grafana/aws-sdk';
import { of } from 'rxjs';

import { instanceSettings } from '../testing/instanceSettings';
import type { CloudTrailInsightsOptions, CloudTrailInsightsSecureJsonData } from '../types';
import { ConfigEditor, loadRegionsFor } from './ConfigEditor';

type Settings = DataSourceSettings<CloudTrailInsightsOptions, CloudTrailInsightsSecureJsonData>;

const settings = (jsonData: Partial<CloudTrailInsightsOptions> = {}): Settings =>
  ({
    id: 1,
    uid: '',
    orgId: 1,
    name: 'CloudTrail Insights',
    type: 'trailwatch-cloudtrailinsights-datasource',
    typeName: 'CloudTrail Insights',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    secureJsonFields: {},
    jsonData: { authType: 'keys', ...jsonData },
  }) as Settings;

function Harness({ initial, onChange }: { initial: Settings; onChange: jest.Mock }) {
  const [options, setOptions] = useState(initial);
  return (
    <DataSourcePluginContextProvider instanceSettings={instanceSettings()}>
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          onChange(next);
          setOptions(next);
        }}
      />
    </DataSourcePluginContextProvider>
  );
}

describe('ConfigEditor', () => {
  beforeAll(() => {
    setAppEvents(new EventBusSrv());
    config.awsAllowedAuthProviders = ['default', 'keys', 'credentials'];
    config.awsAssumeRoleEnabled = true;
  });

  it('keeps the access key, secret key in secureJsonData and nothing secret in jsonData', async () => {
    const onChange = jest.fn();
    render(<Harness initial={settings()} onChange={onChange} />);
    await userEvent.type(screen.getByLabelText('Access Key ID'), 'AKIDEXAMPLE');
    await userEvent.type(screen.getByLabelText('Secret Access Key'), 'wJalrXUtnFEMI');
    const last: Settings = onChange.mock.lastCall[0];
    expect(last.secureJsonData).toEqual({ accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI' });
    expect(JSON.stringify(last.jsonData)).not.toMatch(/AKIDEXAMPLE|wJalrXUtnFEMI/);
  });

  it('writes the cap on multi-value expansion to jsonData, and clears it when not a positive whole number', async () => {
    const onChange = jest.fn();
    render(<Harness initial={settings()} onChange={onChange} />);
    const input = screen.getByLabelText(/^Max expanded queries/);
    await userEvent.type(input, '40');
    await userEvent.tab();
    expect(onChange.mock.lastCall[0].jsonData).toMatchObject({ maxExpandedQueries: 40 });
    await userEvent.clear(input);
    await userEvent.type(input, '0');
    await userEvent.tab();
    expect(onChange.mock.lastCall[0].jsonData.maxExpandedQueries).toBeUndefined();
  }, 30_000);

  it('writes endpoint, assume role, external id and default region to jsonData', async () => {
    const onChange = jest.fn();
    render(<Harness initial={settings()} onChange={onChange} />);
    await userEvent.type(screen.getByLabelText(/^Endpoint/), 'http://127.0.0.1:4599');
    await userEvent.type(screen.getByLabelText(/^Assume Role ARN/), 'arn:aws:iam::123456789012:role/grafana');
    await userEvent.type(screen.getByLabelText(/^External ID/), 'ext-1');
    await userEvent.click(screen.getByLabelText(/^Default Region/));
    await userEvent.click(await screen.findByText('eu-west-1'));
    expect(onChange.mock.lastCall[0].jsonData).toEqual({
      authType: 'keys',
      endpoint: 'http://127.0.0.1:4599',
      assumeRoleArn: 'arn:aws:iam::123456789012:role/grafana',
      externalId: 'ext-1',
      defaultRegion: 'eu-west-1',
    });
  });

  it('switches the auth provider through jsonData.authType and asks for a profile name for credentials files', async () => {
    const onChange = jest.fn();
    render(<Harness initial={settings()} onChange={onChange} />);
    await userEvent.click(screen.getByLabelText(/^Authentication Provider/));
    await userEvent.click(await screen.findByText('Credentials file'));
    expect(onChange.mock.lastCall[0].jsonData.authType).toBe('credentials');
    await userEvent.type(await screen.findByLabelText(/^Credentials Profile Name/), 'audit');
    expect(onChange.mock.lastCall[0].jsonData).toMatchObject({ authType: 'credentials', profile: 'audit' });
  });
});

describe('loadRegionsFor', () => {
  it("uses the standard list before the data source is saved, then the backend's regions", async () => {
    expect(await loadRegionsFor(undefined)).toBe(standardRegions);
    const urls: string[] = [];
    setBackendSrv({
      fetch: (request: { url: string }) => {
        urls.push(request.url);
        return of({ data: [{ value: 'us-west-2', label: 'us-west-2' }], status: 200 });
      },
    } as unknown as BackendSrv);
    await waitFor(async () => expect(await loadRegionsFor('abc')).toEqual(['us-west-2']));
    expect(urls[0]).toBe('/api/datasources/uid/abc/resources/regions');
  });
});
