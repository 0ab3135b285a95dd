package runstate

import "time"

// Landed is what the stage step wrote for one source: one raw landing file per file DuckDB
// read itself, and one for the rows streamed through the source's Next.
type Landed struct {
	Source      string
	Kind        string
	Dataset     string       // the dataset its rows hold (curate reads each dataset's own)
	Parts       []LandedPart // in the run's staging folder
	Rows        int64
	ExtractedAt time.Time
}

// LandedPart is one raw landing file.
type LandedPart struct {
	Path string
	Rows int64
	// FirstRow is 0 when the file has a source_row column. A file DuckDB copied has none: it
	// keeps the source file's order, and its row n (from 0) is source row FirstRow+n.
	FirstRow int64
}
