package main

import (
	"io"
	"log/slog"
	"testing"
)

func TestRunFlags(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{"help exits cleanly", []string{"-h"}, false},
		{"an unknown flag is an error", []string{"-nope"}, true},
		{"a bad duration is an error", []string{"-latency", "soon"}, true},
		{"a busy or bad address is an error", []string{"-addr", "256.0.0.1:1"}, true},
		{"negative leads are an error", []string{"-leads", "-5"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(log, tt.args)
			if (err != nil) != tt.wantErr {
				t.Errorf("run(%v) = %v, want error %v", tt.args, err, tt.wantErr)
			}
		})
	}
}
