package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// startSimulator runs the CloudTrail simulator with quotas off and returns its URL and a stop function.
func startSimulator(root string) (string, func(), error) {
	cmd := exec.Command(filepath.Join(root, "node_modules", ".bin", "tsx"), "simulator/cli.ts", "--port", "0", "--quiet", "--no-quotas", "--seed", "peer-bench")
	cmd.Dir = root
	// Its own process group, so stopping it also stops the node process tsx starts.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting the simulator (needs node_modules): %w", err)
	}
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
	}
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if i := strings.Index(scanner.Text(), "http://"); i >= 0 {
				found <- strings.TrimSpace(scanner.Text()[i:])
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-found:
		return url, stop, nil
	case <-time.After(30 * time.Second):
		stop()
		return "", nil, fmt.Errorf("the simulator did not print its URL within 30 s")
	}
}
