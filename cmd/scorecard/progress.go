package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"scorecard/pipeline/runstate"

	"github.com/mattn/go-isatty"
)

// progress shows the stage and the extraction rate on one terminal line, redrawn at most twice
// a second; on anything but a terminal it shows nothing (the scheduler reads the JSON logs).
type progress struct {
	out     *os.File
	mu      sync.Mutex
	stage   string
	rows    int64
	start   time.Time
	drawn   time.Time
	visible bool
}

var _ runstate.Progress = (*progress)(nil)

// newProgress returns nil when out is not a terminal.
func newProgress(out *os.File) *progress {
	if !isatty.IsTerminal(out.Fd()) {
		return nil
	}
	return &progress{out: out, start: time.Now()}
}

// Stage starts a new stage on the line.
func (p *progress) Stage(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage = name
	p.draw(true)
}

// Rows adds extracted rows.
func (p *progress) Rows(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rows += n
	p.draw(false)
}

// Done clears the line.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.visible {
		fmt.Fprint(p.out, "\r\033[K")
		p.visible = false
	}
}

func (p *progress) draw(force bool) {
	now := time.Now()
	if !force && now.Sub(p.drawn) < 500*time.Millisecond {
		return
	}
	p.drawn, p.visible = now, true
	rate := float64(p.rows) / max(now.Sub(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.out, "\r\033[K%s: %d rows extracted, %.0f rows/s", p.stage, p.rows, rate)
}
