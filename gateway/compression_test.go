package gateway

import "testing"

func TestAutoCompressionSkipsGzipOnlyForAnUpstreamOnThisHost(t *testing.T) {
	tests := []struct {
		setting, url string
		want         bool
	}{
		{"auto", "http://127.0.0.1:9001/commercial", false},
		{"auto", "http://127.8.9.10/commercial", false},
		{"auto", "http://[::1]:9001/commercial", false},
		{"auto", "http://LocalHost:9001/commercial", false},
		{"auto", "https://api.capedigital.co.ke/commercial", true},
		{"auto", "http://10.0.0.5:9001/commercial", true},
		{"auto", "http://localhost.example.com/commercial", true},
		{"gzip", "http://127.0.0.1:9001/commercial", true},
		{"none", "https://api.capedigital.co.ke/commercial", false},
	}
	for _, tt := range tests {
		if got := askForGzip(tt.setting, tt.url); got != tt.want {
			t.Errorf("askForGzip(%q, %q) = %v, want %v", tt.setting, tt.url, got, tt.want)
		}
	}
}
