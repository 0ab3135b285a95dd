package engine

// DuckDB allocates through the jemalloc it bundles, which it configures to give a freed page
// back to the system a second after it is freed. A run frees most of its memory at the end of
// a statement and takes it again in the next, so its pages were faulted in again and again
// (at ten million cases three times the pages of its peak, a fifth of its CPU in the kernel).
// Kept ten seconds, a freed page is reused by the statements that follow; kept for good, the
// 30M run's peak RSS doubled (the README's benchmarks give the figures).
//
// jemalloc reads a second configuration string, malloc_conf_2_conf_harder, after the one
// DuckDB sets, and its options win. DuckDB's copy names it with its prefix and declares it
// weak, so this definition is the one linked; TestJemallocDecay checks that it is read.

/*
#include <stdlib.h>
#include <sys/types.h>

const char *duckdb_je_malloc_conf_2_conf_harder = "dirty_decay_ms:10000,muzzy_decay_ms:0";

int duckdb_je_mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

// sc_je_ssize reads a jemalloc option of type ssize_t into value; 0 when it could.
static int sc_je_ssize(const char *name, long long *value) {
	ssize_t v = 0;
	size_t len = sizeof(v);
	int err = duckdb_je_mallctl(name, &v, &len, NULL, 0);
	*value = (long long)v;
	return err;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// jemallocOption is one of the ssize_t options of the jemalloc DuckDB allocates with, such as
// "opt.dirty_decay_ms": TestJemallocDecay's reader, here because a test file cannot use cgo.
func jemallocOption(name string) (int64, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var value C.longlong
	if rc := C.sc_je_ssize(cname, &value); rc != 0 {
		return 0, fmt.Errorf("jemalloc option %s: error %d", name, rc)
	}
	return int64(value), nil
}
