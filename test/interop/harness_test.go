// Package interop launches the built backend executable the way Grafana does (go-plugin,
// gRPC only, the datasource magic cookie, protocol version 2) and talks to it through
// grafana-plugin-sdk-go's own generated clients and Arrow decoder.
package interop

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// grafanaHandshake mirrors Grafana's pkg/plugins/backendplugin/grpcplugin handshake.
var grafanaHandshake = goplugin.HandshakeConfig{
	ProtocolVersion:  2,
	MagicCookieKey:   "grafana_plugin_type",
	MagicCookieValue: "datasource",
}

// clientPlugin hands out one SDK client per service, like Grafana's dispensed plugins.
type clientPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	newClient func(*grpc.ClientConn) interface{}
}

func (p *clientPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }
func (p *clientPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return p.newClient(c), nil
}

// syncBuffer collects the plugin's log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type launched struct {
	client      *goplugin.Client
	cmd         *exec.Cmd
	logs        *syncBuffer
	data        pluginv2.DataClient
	diagnostics pluginv2.DiagnosticsClient
	resource    pluginv2.ResourceClient
	rpc         goplugin.ClientProtocol
	startup     time.Duration
}

// executablePath resolves an executable from env, else the default path relative to the repo.
func executablePath(t *testing.T, envName, defaultPath, buildHint string) string {
	t.Helper()
	path := os.Getenv(envName)
	if path == "" {
		path = filepath.Join("..", "..", defaultPath)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(abs); err != nil || info.Mode()&0o111 == 0 {
		t.Fatalf("executable %s is missing or not executable; run `%s` first (or set %s)", abs, buildHint, envName)
	}
	return abs
}

// productExecutable is the plugin executable `npm run build:backend` puts in dist/.
func productExecutable(t *testing.T) string {
	return executablePath(t, "PLUGIN_EXECUTABLE", "dist/gpx_cloudtrail_insights_linux_amd64", "npm run build:backend")
}

// echoExecutable is the same build pipeline around the protocol-test echo data source.
func echoExecutable(t *testing.T) string {
	return executablePath(t, "PROTOCOL_ECHO_EXECUTABLE", ".cache/protocol-echo/gpx_cloudtrail_insights_linux_amd64",
		"npm run build:echo-backend")
}

// launch starts executable as Grafana does; configure may adjust the command or client config.
func launch(t *testing.T, executable string, configure ...func(*goplugin.ClientConfig)) *launched {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(executable)
	cmd.Env = append(os.Environ(), "GF_PLUGIN_LOG_LEVEL=debug")
	config := &goplugin.ClientConfig{
		HandshakeConfig: grafanaHandshake,
		VersionedPlugins: map[int]goplugin.PluginSet{2: {
			"data":        &clientPlugin{newClient: func(c *grpc.ClientConn) interface{} { return pluginv2.NewDataClient(c) }},
			"diagnostics": &clientPlugin{newClient: func(c *grpc.ClientConn) interface{} { return pluginv2.NewDiagnosticsClient(c) }},
			"resource":    &clientPlugin{newClient: func(c *grpc.ClientConn) interface{} { return pluginv2.NewResourceClient(c) }},
		}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Output: logs, Level: hclog.Trace}),
		StartTimeout:     time.Minute,
	}
	for _, apply := range configure {
		apply(config)
	}
	client := goplugin.NewClient(config)
	t.Cleanup(client.Kill)

	started := time.Now()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("go-plugin handshake failed: %v\nlogs:\n%s", err, logs.String())
	}
	startup := time.Since(started)
	return &launched{
		client:      client,
		cmd:         cmd,
		logs:        logs,
		rpc:         rpc,
		startup:     startup,
		data:        dispense[pluginv2.DataClient](t, rpc, "data"),
		diagnostics: dispense[pluginv2.DiagnosticsClient](t, rpc, "diagnostics"),
		resource:    dispense[pluginv2.ResourceClient](t, rpc, "resource"),
	}
}

// dispense returns the SDK client go-plugin hands out under name.
func dispense[T any](t *testing.T, rpc goplugin.ClientProtocol, name string) T {
	t.Helper()
	raw, err := rpc.Dispense(name)
	if err != nil {
		t.Fatalf("dispense %s: %v", name, err)
	}
	return raw.(T)
}
