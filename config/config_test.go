package config

import (
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil, env(nil))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if c.Addr != ":8080" || c.UpstreamURL != "" || c.Batch != "each" || c.JWTMode != "verify" {
		t.Errorf("defaults = %+v", c)
	}
	if c.UpstreamTimeout != 10*time.Second || c.Leeway != 30*time.Second || !c.Introspection {
		t.Errorf("defaults = %+v", c)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, err := Load([]string{"-addr", "127.0.0.1:9999", "-upstream", "http://up:1/commercial"},
		env(map[string]string{"GATEWAY_ADDR": ":1", "CAPE_API_URL": "http://x/y", "JWT_MODE": "forward"}))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if c.Addr != "127.0.0.1:9999" || c.UpstreamURL != "http://up:1/commercial" {
		t.Errorf("addr, upstream = %q, %q", c.Addr, c.UpstreamURL)
	}
}

func TestLoadNamesTheBadSetting(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{name: "unknown batch strategy", vars: map[string]string{"CAPE_BATCH": "some"}, want: "CAPE_BATCH"},
		{name: "upstream without a scheme", vars: map[string]string{"CAPE_API_URL": "api.example.com"}, want: "CAPE_API_URL"},
		{name: "duration without a unit", vars: map[string]string{"UPSTREAM_TIMEOUT": "10"}, want: "UPSTREAM_TIMEOUT"},
		{name: "unknown JWT mode", vars: map[string]string{"JWT_MODE": "trust"}, want: "JWT_MODE"},
		{
			name: "real upstream in verify mode without keys",
			vars: map[string]string{"CAPE_API_URL": "https://api.example.com/commercial"}, want: "JWT_JWKS_URL",
		},
		{name: "boolean that is not one", vars: map[string]string{"GRAPHQL_INTROSPECTION": "maybe"}, want: "GRAPHQL_INTROSPECTION"},
		{name: "route override without a slash", vars: map[string]string{"CAPE_ROUTE_LEADS": "leads"}, want: "CAPE_ROUTE_LEADS"},
		{name: "unknown flag", args: []string{"-port", "1"}, want: "flags"},
		{name: "address without a port", vars: map[string]string{"GATEWAY_ADDR": "localhost"}, want: "GATEWAY_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, env(tt.vars))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}
