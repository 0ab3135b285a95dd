package rules

import (
	"errors"
	"testing"
)

// TestGuard checks that a panic in a call into go-yaml becomes a problem naming the file.
func TestGuard(t *testing.T) {
	s := &source{file: "p.yaml"}
	err := s.guard(func() error { panic("boom") })
	want := "p.yaml: " + goYAMLFailed + ": boom"
	if !errors.Is(err, ErrInvalid) || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if err := s.guard(func() error { return nil }); err != nil {
		t.Errorf("err = %v for a call that returns nil", err)
	}
}
