// Package redistest starts a real redis-server for tests, on a free loopback
// port, with persistence off. A test skips when redis-server is not installed,
// unless the CI environment variable is set: then it fails, because CI must
// run every test.
package redistest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a redis-server process owned by one test.
type Server struct {
	// Addr is the server's host:port.
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts a redis-server that the test's cleanup stops.
func Start(t testing.TB) *Server {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not installed, and CI must run the Redis tests " +
				"(.ci/run installs Debian's redis-server package)")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server): skipping")
	}

	var lastErr error
	for range 3 { // a free port can be taken between finding it and binding it
		s, err := start(t, path)
		if err == nil {
			t.Cleanup(s.Kill)
			return s
		}
		lastErr = err
	}
	t.Fatalf("start redis-server: %v", lastErr)
	return nil
}

func start(t testing.TB, path string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}

	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd,
		done: make(chan struct{})}
	ready := make(chan error, 1)
	go s.watch(out, ready)
	select {
	case err := <-ready:
		if err != nil {
			s.Kill()
			return nil, err
		}
		return s, nil
	case <-time.After(10 * time.Second):
		s.Kill()
		return nil, fmt.Errorf("redis-server not ready after 10s")
	}
}

// watch reports on ready when the server says it accepts connections, or why
// it ended first, then drains its output until it exits.
func (s *Server) watch(out io.Reader, ready chan<- error) {
	defer close(s.done)
	sc := bufio.NewScanner(out)
	var tail []string
	signalled := false
	for sc.Scan() {
		line := sc.Text()
		if !signalled && strings.Contains(line, "Ready to accept connections") {
			ready <- nil
			signalled = true
		}
		tail = append(tail[max(0, len(tail)-4):], line)
	}
	err := s.cmd.Wait()
	if !signalled {
		ready <- fmt.Errorf("redis-server exited (%v): %s", err, strings.Join(tail, " | "))
	}
}

// URL is the server's address as a REDIS_URL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Kill stops the server at once, as a crash would, and waits until it is
// gone. Calling it again does nothing.
func (s *Server) Kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
	}
	<-s.done
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
