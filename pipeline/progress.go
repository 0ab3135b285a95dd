package pipeline

// Progress is told what a run is doing, for a display on a terminal.
type Progress interface {
	Stage(name string)
	Rows(n int64) // rows extracted since the last call
}

type noProgress struct{}

func (noProgress) Stage(string) {}
func (noProgress) Rows(int64)   {}
