import { loadResource, ResourceLoadError } from './resourceClient';

describe('loadResource', () => {
  it('sends only the filters that are set and returns the options', async () => {
    const getResource = jest
      .fn()
      .mockResolvedValue([{ value: 'CreateUser', label: 'CreateUser', description: '3 Insights' }]);
    const options = await loadResource(getResource, 'event-names', {
      region: 'us-east-1',
      eventSource: '',
      eventName: undefined,
    });
    expect(getResource).toHaveBeenCalledWith('event-names', { region: 'us-east-1' }, { showErrorAlert: false });
    expect(options).toEqual([{ value: 'CreateUser', label: 'CreateUser', description: '3 Insights' }]);
  });

  it("names what failed, the HTTP status and the backend's own message", async () => {
    const getResource = jest
      .fn()
      .mockRejectedValue({ status: 502, data: { error: 'ThrottlingException: Rate exceeded' } });
    await expect(loadResource(getResource, 'event-sources')).rejects.toEqual(
      new ResourceLoadError('Could not load event sources (HTTP 502): ThrottlingException: Rate exceeded', 502)
    );
  });

  it("falls back to Grafana's message, then the status text", async () => {
    await expect(
      loadResource(jest.fn().mockRejectedValue({ status: 404, data: { message: 'Data source not found' } }), 'regions')
    ).rejects.toThrow('Could not load regions (HTTP 404): Data source not found');
    await expect(
      loadResource(jest.fn().mockRejectedValue({ status: 500, statusText: 'Internal Server Error' }), 'trails')
    ).rejects.toThrow('Could not load trails (HTTP 500): Internal Server Error');
    await expect(loadResource(jest.fn().mockRejectedValue(new Error('Network down')), 'error-codes')).rejects.toThrow(
      'Could not load error codes: Network down'
    );
  });

  it('rejects an answer that is not a list of options', async () => {
    await expect(loadResource(jest.fn().mockResolvedValue({ regions: [] }), 'regions')).rejects.toThrow(
      'Could not load regions: the backend answered with an unexpected shape.'
    );
  });
});
