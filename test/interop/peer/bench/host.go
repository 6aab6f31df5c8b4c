package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Grafana's handshake (pkg/plugins/backendplugin/grpcplugin): datasource cookie, protocol 2, gRPC.
var handshake = goplugin.HandshakeConfig{ProtocolVersion: 2, MagicCookieKey: "grafana_plugin_type", MagicCookieValue: "datasource"}

type dataPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (dataPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }
func (dataPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return pluginv2.NewDataClient(c), nil
}

// running is one launched plugin process and its Data client.
type running struct {
	client    *goplugin.Client
	data      pluginv2.DataClient
	pid       int
	handshake time.Duration
}

func start(executable string, env []string) (*running, error) {
	cmd := exec.Command(executable)
	cmd.Env = append(append(os.Environ(), env...), "GF_PLUGIN_LOG_LEVEL=error")
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{2: {"data": dataPlugin{}}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "bench", Output: os.Stderr, Level: hclog.Error}),
		StartTimeout:     time.Minute,
	})
	cleanups = append(cleanups, client.Kill) // a no-op once stopped
	began := time.Now()
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("%s: handshake: %w", executable, err)
	}
	took := time.Since(began)
	raw, err := rpc.Dispense("data")
	if err != nil {
		client.Kill()
		return nil, err
	}
	return &running{client: client, data: raw.(pluginv2.DataClient), pid: client.ReattachConfig().Pid, handshake: took}, nil
}

func (r *running) stop() { r.client.Kill() }

// statusKB reads a VmRSS/VmHWM-style line of /proc/<pid>/status in kB.
func (r *running) statusKB(field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, field+":") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb
		}
	}
	return 0
}

func (r *running) rssMB() float64  { return r.statusKB("VmRSS") / 1024 }
func (r *running) peakMB() float64 { return r.statusKB("VmHWM") / 1024 }

// cpu is the process's user+system CPU time so far.
func (r *running) cpu() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after the last ')'.
	fields := strings.Fields(string(raw)[strings.LastIndexByte(string(raw), ')')+2:])
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration((utime + stime) / ticksPerSecond * float64(time.Second))
}
