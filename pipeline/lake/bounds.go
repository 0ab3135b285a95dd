package lake

import (
	"fmt"

	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// TextBounds are the lowest and the highest value of a text column in a Parquet file, from
// the statistics of its row groups in the footer, without reading any page. Known is false
// when a row group has none (or none a reader can trust): then any value may be in the file.
// Rows is the file's rows, read from the same footer whether the bounds are known or not.
type TextBounds struct {
	Min, Max string
	Known    bool
	Rows     int64
}

// ReadTextBounds reads the bounds of a text column of a Parquet file from its footer.
func ReadTextBounds(path, column string) (TextBounds, error) {
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return TextBounds{}, fmt.Errorf("reading the footer of %s: %w", path, err)
	}
	defer r.Close()
	meta := r.MetaData()
	col := meta.Schema.ColumnIndexByName(column)
	if col < 0 {
		return TextBounds{}, fmt.Errorf("%s has no column %s", path, column)
	}
	b := TextBounds{Rows: meta.NumRows}
	for i := range meta.NumRowGroups() {
		rg := meta.RowGroup(i)
		if rg.NumRows() == 0 {
			continue
		}
		chunk, err := rg.ColumnChunk(col)
		if err != nil {
			return TextBounds{}, fmt.Errorf("%s row group %d: %w", path, i, err)
		}
		stats, err := chunk.Statistics()
		if err != nil {
			return TextBounds{}, fmt.Errorf("%s row group %d: %w", path, i, err)
		}
		s, ok := stats.(*metadata.ByteArrayStatistics)
		if !ok || !s.HasMinMax() {
			return TextBounds{Rows: meta.NumRows}, nil
		}
		lo, hi := string(s.Min()), string(s.Max())
		if !b.Known || lo < b.Min {
			b.Min = lo
		}
		if !b.Known || hi > b.Max {
			b.Max = hi
		}
		b.Known = true
	}
	return b, nil
}
