package runstate

// Progress is told what a run is doing, for a display on a terminal.
type Progress interface {
	Stage(name string)
	Rows(n int64) // rows extracted since the last call
}

type NoProgress struct{}

func (NoProgress) Stage(string) {}
func (NoProgress) Rows(int64)   {}
