package stage

import (
	"slices"
	"testing"
)

func TestOneThreadEach(t *testing.T) {
	for _, tt := range []struct {
		sizes   []int64 // largest first
		threads int
		want    bool
	}{
		{[]int64{100, 100, 100}, 2, true},
		{[]int64{100, 100}, 2, true},
		{[]int64{100, 99}, 2, false}, // the larger is more than half
		{[]int64{100, 50, 50}, 2, true},
		{[]int64{100, 50, 49}, 2, false},
		{[]int64{100}, 2, false},
		{[]int64{100, 100, 100}, 4, false}, // fewer files than threads
		{[]int64{100, 100, 100}, 1, false}, // one thread: nothing to gain
	} {
		files := make([]fileSize, len(tt.sizes))
		for i, s := range tt.sizes {
			files[i] = fileSize{index: i, size: s}
		}
		if got := oneThreadEach(files, tt.threads); got != tt.want {
			t.Errorf("oneThreadEach(%v, %d) = %t, want %t", tt.sizes, tt.threads, got, tt.want)
		}
	}
}

func TestPiecesPerFile(t *testing.T) {
	const mib = 1 << 20
	for _, tt := range []struct {
		sizes   []int64 // largest first
		threads int
		want    []int
		oneEach bool
	}{
		{[]int64{100 * mib, 100 * mib}, 2, []int{1, 1}, true}, // one per thread already
		{[]int64{300 * mib}, 2, []int{2}, true},
		{[]int64{300 * mib}, 4, []int{4}, true},
		{[]int64{300 * mib, 10 * mib}, 2, []int{2, 1}, true},
		{[]int64{300 * mib, 200 * mib, 100 * mib}, 4, []int{2, 2, 1}, true}, // pieces of about 150
		{[]int64{20 * mib}, 4, []int{2}, true},                              // pieces of at least 8 MiB
		{[]int64{12 * mib, 1 * mib}, 2, []int{1, 1}, false},                 // too small to cut
		{[]int64{300 * mib}, 1, []int{1}, false},
	} {
		files := make([]fileSize, len(tt.sizes))
		for i, s := range tt.sizes {
			files[i] = fileSize{index: i, size: s}
		}
		got, oneEach := piecesPerFile(files, tt.threads)
		if !slices.Equal(got, tt.want) || oneEach != tt.oneEach {
			t.Errorf("piecesPerFile(%v MiB, %d) = %v, %t; want %v, %t", mibs(tt.sizes), tt.threads, got, oneEach, tt.want, tt.oneEach)
		}
	}
}

func mibs(sizes []int64) []int64 {
	out := make([]int64, len(sizes))
	for i, s := range sizes {
		out[i] = s >> 20
	}
	return out
}
