//go:build oldsdk

package interop

// newerThanSDK lists what our .proto files declare that grafana-plugin-sdk-go v0.278.0 does not
// know yet (added in v0.300.0). Such a host never sends them (it asks no format, so frames stay
// Arrow, and never calls QueryChunkedData) and skips them in our answers as unknown fields.
var newerThanSDK = map[string]bool{
	"pluginv2.QueryDataRequest.format":  true,
	"pluginv2.DataResponse.format":      true,
	"pluginv2.QueryChunkedDataRequest":  true,
	"pluginv2.QueryChunkedDataResponse": true,
	"pluginv2.Data/QueryChunkedData":    true,
}
