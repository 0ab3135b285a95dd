package stage

import "testing"

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
