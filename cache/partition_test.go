package cache

import (
	"context"
	"strings"
	"testing"

	"github.com/capedigital/cape-gateway/auth"
	"github.com/capedigital/cape-gateway/upstream"
)

// verified is a request context in verify mode.
func verified(token, issuer, subject string, roles ...string) context.Context {
	ctx := upstream.WithToken(context.Background(), token)
	return auth.WithClaims(ctx, &auth.Claims{Subject: subject, Roles: roles, Issuer: issuer})
}

func TestPartitionSeparatesCredentials(t *testing.T) {
	tests := []struct {
		name string
		a, b context.Context
		same bool
	}{
		{
			name: "a refreshed token of the same subject and roles shares",
			a:    verified("t1", "iss", "alice", "sales"),
			b:    verified("t2", "iss", "alice", "sales"), same: true,
		},
		{
			name: "roles in another order share",
			a:    verified("t1", "iss", "alice", "sales", "admin"),
			b:    verified("t1", "iss", "alice", "admin", "sales"), same: true,
		},
		{
			name: "another subject does not share",
			a:    verified("t1", "iss", "alice", "sales"), b: verified("t1", "iss", "bob", "sales"),
		},
		{
			name: "the same subject with other roles does not share",
			a:    verified("t1", "iss", "alice", "sales"),
			b:    verified("t1", "iss", "alice", "sales", "admin"),
		},
		{
			name: "the same subject of another issuer does not share",
			a:    verified("t1", "iss", "alice"), b: verified("t1", "other", "alice"),
		},
		{
			name: "roles that join alike do not share",
			a:    verified("t1", "iss", "alice", "ab", "c"),
			b:    verified("t1", "iss", "alice", "a", "bc"),
		},
		{
			name: "another token in forward mode does not share",
			a:    tokenCtx("t1"), b: tokenCtx("t2"),
		},
		{
			name: "the same token in forward mode shares",
			a:    tokenCtx("t1"), b: tokenCtx("t1"), same: true,
		},
		{
			name: "claims without a subject fall back to the token",
			a:    verified("t1", "iss", ""), b: tokenCtx("t1"), same: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pa, okA := Partition(tt.a)
			pb, okB := Partition(tt.b)
			if !okA || !okB {
				t.Fatalf("Partition ok = %t, %t, want true, true", okA, okB)
			}
			if (pa == pb) != tt.same {
				t.Errorf("partitions %q and %q: same = %t, want %t", pa, pb, pa == pb, tt.same)
			}
		})
	}
}

func TestPartitionNeedsACredentialAndHidesTheToken(t *testing.T) {
	if p, ok := Partition(context.Background()); ok {
		t.Errorf("Partition without credential = %q, true; want false", p)
	}
	const token = "eyJhbGciOiJSUzI1NiJ9.payload.signature"
	p, ok := Partition(tokenCtx(token))
	if !ok || strings.Contains(p, "payload") || len(p) != 32 {
		t.Errorf("Partition = %q, %t; want 32 hex digits that do not hold the token", p, ok)
	}
}
