package simulator

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token signs claims exactly as given with the current signing key, as
// POST /__sim/token does.
func (s *Simulator) Token(claims map[string]any) (string, error) {
	return s.keys.sign(jwt.MapClaims(claims), false)
}

// DemoToken is a token like the password grant for demo/demo returns, valid
// for ttl: the demo user's sub and the realm roles "sales" and "admin".
func (s *Simulator) DemoToken(ttl time.Duration) (string, error) {
	return s.keys.sign(s.userClaims(s.Issuer(), demoUsername, demoRoles(), ttl), false)
}

// Stats is a snapshot of the request counts.
func (s *Simulator) Stats() Stats { return s.stats.snapshot() }

// Reset zeroes the request counts and clears the injected faults. The data
// stays as it is.
func (s *Simulator) Reset() {
	s.stats.reset()
	s.faults.clear()
	s.traces.reset()
}
