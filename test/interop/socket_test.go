package interop

// On Linux the plugin must listen where go-plugin plugins do: a unix socket that only the
// Grafana server's user (and PLUGIN_UNIX_SOCKET_GROUP) can connect to, never TCP, so no other
// local user can send it requests that it answers with the stored credentials.

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
)

// assertPrivateSocket checks the handshake named a unix socket inside a fresh directory under
// base, with the given permission bits on the socket and its directory, owned by group gid.
func assertPrivateSocket(t *testing.T, p *launched, base string, socketMode, dirMode os.FileMode, gid int) string {
	t.Helper()
	addr := p.client.ReattachConfig().Addr
	if addr.Network() != "unix" {
		t.Fatalf("handshake network %q (address %s), want unix (1|2|unix|/path|grpc)", addr.Network(), addr)
	}
	path := addr.String()
	dir := filepath.Dir(path)
	if filepath.Dir(dir) != filepath.Clean(base) {
		t.Fatalf("socket %s is not in its own directory under %s", path, base)
	}
	for _, want := range []struct {
		path string
		mode os.FileMode
	}{{path, socketMode}, {dir, dirMode}} {
		info, err := os.Stat(want.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want.mode {
			t.Errorf("%s has mode %#o, want %#o", want.path, got, want.mode)
		}
		if got := int(info.Sys().(*syscall.Stat_t).Gid); got != gid {
			t.Errorf("%s belongs to gid %d, want %d", want.path, got, gid)
		}
	}
	if info, _ := os.Stat(path); info.Mode()&os.ModeSocket == 0 {
		t.Errorf("%s is not a socket", path)
	}
	return dir
}

func TestUnixSocketOwnerOnlyByDefault(t *testing.T) {
	p := launch(t, echoExecutable(t))
	dir := assertPrivateSocket(t, p, os.TempDir(), 0o600, 0o700, os.Getgid())
	assertGracefulKill(t, p)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("socket directory %s is still there after shutdown (%v)", dir, err)
	}
}

func TestUnixSocketHonoursDirAndGroup(t *testing.T) {
	base := t.TempDir()
	gid := os.Getgid()
	p := launch(t, echoExecutable(t), func(c *goplugin.ClientConfig) {
		c.Cmd.Env = append(c.Cmd.Env, goplugin.EnvUnixSocketDir+"="+base)
		c.UnixSocketConfig = &goplugin.UnixSocketConfig{Group: strconv.Itoa(gid)}
	})
	if err := p.rpc.Ping(); err != nil {
		t.Fatalf("ping over the socket: %v", err)
	}
	assertPrivateSocket(t, p, base, 0o660, 0o710, gid)
}
