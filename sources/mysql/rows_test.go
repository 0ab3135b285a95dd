package mysql

import "testing"

func TestAppendDateTime(t *testing.T) {
	tests := []struct {
		in   string
		zulu bool
		want string
	}{
		{"2024-03-01 10:00:00", false, "2024-03-01T10:00:00"},
		{"2024-03-01 10:00:00.000000", true, "2024-03-01T10:00:00Z"},
		{"2024-03-01 10:00:00.250000", false, "2024-03-01T10:00:00.25"},
		{"2024-03-01 10:00:00.000001", true, "2024-03-01T10:00:00.000001Z"},
		{"0000-00-00 00:00:00", false, "0000-00-00T00:00:00"}, // a zero date stays bad, for curation to see
	}
	for _, tt := range tests {
		if got := string(appendDateTime(nil, []byte(tt.in), tt.zulu)); got != tt.want {
			t.Errorf("appendDateTime(%q, %v) = %q, want %q", tt.in, tt.zulu, got, tt.want)
		}
	}
}
