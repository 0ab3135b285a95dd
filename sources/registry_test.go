package sources

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

type nopSource struct{}

func (nopSource) Open(context.Context) error                      { return nil }
func (nopSource) Next(context.Context) (arrow.RecordBatch, error) { return nil, nil }
func (nopSource) Close() error                                    { return nil }

func nopFactory(Config) (Source, error) { return nopSource{}, nil }

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	r.Register("postgres", nopFactory)
	r.Register("csv", nopFactory)
	if got := strings.Join(r.Kinds(), ","); got != "csv,postgres" {
		t.Errorf("Kinds = %s, want csv,postgres", got)
	}
	if _, err := r.New(Config{Kind: "csv"}); err != nil {
		t.Errorf("New(csv): %v", err)
	}
	_, err := r.New(Config{Kind: "xlsx"})
	checkErr(t, err, ErrUnknownKind, `unknown source kind "xlsx" (known: csv, postgres)`)
	_, err = r.New(Config{Kind: "csv", Columns: map[string]string{"id": "x"}})
	checkErr(t, err, ErrUnknownColumn, `"id"`)
}

func TestRegistryDuplicatePanics(t *testing.T) {
	r := NewRegistry()
	r.Register("csv", nopFactory)
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `kind "csv" registered twice`) {
			t.Errorf("panic = %q, want one about the duplicate kind", msg)
		}
	}()
	r.Register("csv", nopFactory)
}
