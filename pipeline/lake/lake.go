package lake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// Lake tables (declared in tables.go). Each is a folder of Hive-partitioned Parquet under the lake, reached through a
// symlink into the current version: lake/scorecard -> current/scorecard, and
// lake/current -> .versions/<run_id>. A run builds a whole new version beside the old one
// (new files written, unchanged ones hard-linked, so their bytes stay the same) and publishes it
// by renaming one symlink: a reader sees the old lake or the new one, never a mix, and a crashed
// run leaves the old one in place.
const (
	TableRaw             = "raw"
	TableCases           = "cases"
	TableQuarantine      = "quarantine"
	TableCaseResults     = "case_results"
	TableScorecard       = "scorecard"
	TableRestatements    = "restatements"
	TableRemovedCases    = "removed_cases"
	TableForecast        = "forecast"
	TableAtRisk          = "at_risk"
	TableStatus          = "status"
	TableAppointments    = "appointments"
	TableAppointmentDays = "appointment_days"
	TableMilestones      = "milestones"
	TableRequirements    = "requirements"
	TableRuns            = "runs"
	TableState           = "state"

	PartitionFile  = "data.parquet"
	CurrentLink    = "current"
	VersionsDir    = ".versions"
	StagingDirName = ".staging"
	// PartsDir holds the run partitions (run_id=<id> folders: raw landings, quarantines,
	// restatements, removed cases). Each is written once, by its run, and never changed; a
	// version holds a link to it rather than a folder of its own (Version.Prepare).
	PartsDir = ".parts"
	// TablesDir holds the tables' folders, <table>/<version>: each is written by the version
	// named and never changed once published, and every later version that keeps the table
	// as it is links to it (Version.KeepTable).
	TablesDir = ".tables"
	// RunIDTime is the layout of the start time that begins a run id (NewRunID).
	RunIDTime = "20060102T150405Z"
)

// ErrLayout is returned when the lake folder holds something this version does not manage.
var ErrLayout = errors.New("unexpected lake layout")

// ErrNoCurrent is returned (matching ErrLayout too) when a lake holds versions but its current
// link does not lead to one: taken for a new lake, it would lose them all to the next Prune.
var ErrNoCurrent = fmt.Errorf("%w: no current version", ErrLayout)

// Lake is a folder of versions of Hive-partitioned Parquet tables.
type Lake struct {
	Dir string
	// lock, when set (a run's lake), is checked before anything is published or removed.
	Lock *Lock
}

// StagingDir is a run's scratch space (DuckDB spill, raw landing before publication); it lives
// inside the lake so that hard links and renames stay on one file system.
func (l Lake) StagingDir(runID string) string {
	return filepath.Join(l.Dir, StagingDirName, runID)
}

// Current returns the folder of the published version, or "" for a new lake. A current link
// that leads to no folder, or complete versions without a current link, is an ErrNoCurrent
// that says how to repair the link.
func (l Lake) Current() (string, error) {
	target, err := os.Readlink(filepath.Join(l.Dir, CurrentLink))
	if errors.Is(err, fs.ErrNotExist) {
		return "", l.noCurrent("no current link", false)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrLayout, l.Dir, err)
	}
	dir := target
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(l.Dir, target)
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", l.noCurrent(fmt.Sprintf("current points to %s, which does not exist", target), true)
	case err != nil:
		return "", l.noCurrent(fmt.Sprintf("current points to %s, which cannot be read (%v)", target, err), true)
	case !info.IsDir():
		return "", l.noCurrent(fmt.Sprintf("current points to %s, which is not a folder", target), true)
	}
	return dir, nil
}

// HasRun reports whether the lake holds a published version; Current says why when a lake with
// versions has none.
func (l Lake) HasRun() bool {
	cur, err := l.Current()
	return err == nil && cur != ""
}

// noCurrent is the error of a lake without a valid current version, naming the versions there
// and the repair; nil for a new lake (no link, and no complete version: at most what a first
// run left when it was killed).
func (l Lake) noCurrent(problem string, linked bool) error {
	whole, partial, err := l.Versions()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrLayout, l.Dir, err)
	}
	if !linked && len(whole) == 0 {
		return nil
	}
	link := filepath.Join(l.Dir, CurrentLink)
	if len(whole) == 0 {
		return fmt.Errorf("%w: lake %s: %s; no complete version is left in %s; to start a new lake: rm %s",
			ErrNoCurrent, l.Dir, problem, VersionsDir, link)
	}
	present := "the versions present are " + listNewest(whole, 5)
	if len(partial) > 0 {
		present += " (and, never completed, " + listNewest(partial, 5) + ")"
	}
	latest := filepath.Join(VersionsDir, whole[len(whole)-1])
	return fmt.Errorf("%w: lake %s: %s; %s; repair with: ln -sfn %s %s", ErrNoCurrent, l.Dir, problem, present, latest, link)
}

// Versions lists the folders in .versions in run id order: whole ones, which hold their run's
// record (written last), and partial ones, which a killed run left.
func (l Lake) Versions() (whole, partial []string, err error) {
	entries, err := os.ReadDir(filepath.Join(l.Dir, VersionsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		runID, _, _ := strings.Cut(e.Name(), ".") // <run_id> or <run_id>.outputs
		record := filepath.Join(l.Dir, VersionsDir, e.Name(), TableRuns, runID+".parquet")
		if _, statErr := os.Stat(record); statErr == nil {
			whole = append(whole, e.Name())
		} else {
			partial = append(partial, e.Name())
		}
	}
	sort.Strings(whole)
	sort.Strings(partial)
	return whole, partial, err
}

// listNewest joins the last n names of a sorted list, newest first, saying how many are left out.
func listNewest(names []string, n int) string {
	var out []string
	for i := len(names) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, names[i])
	}
	s := strings.Join(out, ", ")
	if more := len(names) - len(out); more > 0 {
		s += fmt.Sprintf(" and %d older", more)
	}
	return s
}

// checkLock verifies the lake lock, when the lake carries it, before publishing or removing.
func (l Lake) checkLock() error {
	if l.Lock == nil {
		return nil
	}
	return l.Lock.Check()
}

// OutputFile is one file of a published version, for the run manifest.
type OutputFile struct {
	Path   string `json:"path"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Version is a lake version being built.
type Version struct {
	lake   Lake
	Dir    string // .versions/<run_id>
	prev   string // the published version, "" for the first run
	own    string // run_id=<run_id>: the folder name of the run's own partitions
	dirs   map[string]bool
	tables map[string]tableUse
}

// tableUse is what a version does with a table's folder.
type tableUse int

const (
	tableUntouched tableUse = iota
	tableWritten            // a folder of its own, in TablesDir
	tableShared             // the published version's folder, linked: never written
)

func NewVersion(l Lake, runID, prev string) (*Version, error) {
	v := &Version{lake: l, Dir: filepath.Join(l.Dir, VersionsDir, runID), prev: prev,
		own: RunIDKey + "=" + runID, dirs: map[string]bool{}, tables: map[string]tableUse{}}
	if err := os.RemoveAll(v.Dir); err != nil {
		return nil, err
	}
	return v, v.Mkdir(v.Dir)
}

func (v *Version) Path(rel string) string { return filepath.Join(v.Dir, rel) }

// Mkdir makes a folder of the version; a table's first folder makes the table's own folder.
func (v *Version) Mkdir(dir string) error {
	if v.dirs[dir] {
		return nil
	}
	if rel, err := filepath.Rel(v.Dir, dir); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		if err := v.writeTable(strings.Split(rel, string(filepath.Separator))[0]); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for d := dir; d != v.Dir && strings.HasPrefix(d, v.Dir); d = filepath.Dir(d) {
		v.dirs[d] = true
	}
	v.dirs[v.Dir] = true
	return nil
}

// Prepare makes the folder of a file about to be written at rel. The folder of the run's own
// partition (run_id=<this run>) is made in the lake's parts and linked from the version.
func (v *Version) Prepare(rel string) (string, error) {
	p := v.Path(rel)
	if dir := filepath.Dir(rel); filepath.Base(dir) == v.own {
		_, err := v.linkPart(dir)
		return p, err
	}
	return p, v.Mkdir(filepath.Dir(p))
}

// linkPart makes the parts folder of the run partition rel (relative to the version) and the
// version's link to it, once. Every later version keeps the link as it keeps a file, with a
// hard link: no folder to make and fsync in each. A year of daily landings kept 365 raw
// partitions, and making their folders again in every version took a run with nothing new
// from 0.13 s to 0.25 s, on an ext4 slowed by the folders each pruning had just removed.
func (v *Version) linkPart(rel string) (string, error) {
	stored := filepath.Join(v.lake.Dir, PartsDir, rel)
	if v.dirs[stored] {
		return stored, nil
	}
	if err := os.MkdirAll(stored, 0o755); err != nil {
		return "", err
	}
	// Flushed at commit, with every folder above it, which may be new too.
	v.dirs[v.lake.Dir] = true
	for d := rel; d != "."; d = filepath.Dir(d) {
		v.dirs[filepath.Join(v.lake.Dir, PartsDir, d)] = true
	}
	v.dirs[filepath.Join(v.lake.Dir, PartsDir)] = true
	link := v.Path(rel)
	if err := v.Mkdir(filepath.Dir(link)); err != nil {
		return "", err
	}
	// Relative to the folder that holds the link, the table's (a link's target is resolved
	// from there, not from the version's path to it), so that the lake can be moved or copied.
	table, inTable, _ := strings.Cut(rel, string(filepath.Separator))
	target, err := filepath.Rel(filepath.Join(v.tableFolder(table), filepath.Dir(inTable)), stored)
	if err != nil {
		return "", err
	}
	return stored, os.Symlink(target, link)
}

// writeTable makes the version's own folder of a table in TablesDir, linked from the version,
// once; a table the version shares with the published one cannot be written.
func (v *Version) writeTable(table string) error {
	switch v.tables[table] {
	case tableWritten:
		return nil
	case tableShared:
		return fmt.Errorf("table %s is the published version's: this version cannot write it", table)
	}
	folder := v.tableFolder(table)
	// What is there is a failed attempt of this version's, linked from no other version.
	if err := os.RemoveAll(folder); err != nil {
		return err
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	for _, d := range []string{folder, filepath.Dir(folder), filepath.Dir(filepath.Dir(folder)), v.lake.Dir, v.Dir} {
		v.dirs[d] = true // flushed at commit: each may be new, or have a new entry
	}
	v.tables[table] = tableWritten
	target, err := filepath.Rel(v.Dir, folder)
	if err != nil {
		return err
	}
	return os.Symlink(target, v.Path(table))
}

// tableFolder is the version's own folder of a table, in TablesDir.
func (v *Version) tableFolder(table string) string {
	return filepath.Join(v.lake.Dir, TablesDir, table, filepath.Base(v.Dir))
}

// shareTable links the published version's folder of a table into this version, when it is a
// folder of TablesDir (a lake written before them holds it in the version) and this version has
// not written the table.
func (v *Version) shareTable(table string) (bool, error) {
	if v.prev == "" || v.tables[table] != tableUntouched || table == TableRuns { // every version writes its run's record
		return false, nil
	}
	src := filepath.Join(v.prev, table)
	if info, err := os.Lstat(src); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return false, nil
	}
	if err := os.Link(src, v.Path(table)); err != nil { // the link itself, as keepPart does
		return false, err
	}
	v.tables[table] = tableShared
	return true, nil
}

// isRunPart says whether a folder of a table is a run partition.
func isRunPart(name string) bool { return strings.HasPrefix(name, RunIDKey+"=") }

// PreviousFiles lists the files of a table in the previous version, relative to the version;
// a run partition is listed as its folder.
func (v *Version) PreviousFiles(table string) ([]string, error) {
	if v.prev == "" {
		return nil, nil
	}
	var out []string
	root := filepath.Join(v.prev, table) + string(filepath.Separator) // a link to its folder is followed
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		part := err == nil && isRunPart(d.Name())
		if err != nil || d.IsDir() && !part {
			return err
		}
		rel, err := filepath.Rel(v.prev, path)
		out = append(out, rel)
		if err == nil && d.IsDir() {
			return fs.SkipDir
		}
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	sort.Strings(out)
	return out, err
}

// Keep hard-links files of the previous version into this one, unchanged. A run partition is
// kept by a hard link to the previous version's link to it.
func (v *Version) Keep(rels ...string) error {
	for _, rel := range rels {
		src := filepath.Join(v.prev, rel)
		if isRunPart(filepath.Base(rel)) {
			if err := v.keepPart(src, rel); err != nil {
				return fmt.Errorf("keeping %s: %w", rel, err)
			}
			continue
		}
		dst, err := v.Prepare(rel)
		if err != nil {
			return err
		}
		if err := os.Link(src, dst); err != nil {
			return fmt.Errorf("keeping %s: %w", rel, err)
		}
	}
	return nil
}

// keepPart keeps the run partition rel, which the previous version holds at src: as a link, or
// as a folder of its own in a lake written before the parts. Such a folder's files are linked
// into the parts (once: the versions after this one keep its link).
func (v *Version) keepPart(src, rel string) error {
	info, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if err := v.Mkdir(filepath.Dir(v.Path(rel))); err != nil {
			return err
		}
		return os.Link(src, v.Path(rel)) // the link itself: link(2) does not follow it
	}
	// No published version links to these parts while the previous one holds the folder: what
	// is there is a run's that failed before it published.
	if err := os.RemoveAll(filepath.Join(v.lake.Dir, PartsDir, rel)); err != nil {
		return err
	}
	stored, err := v.linkPart(rel)
	if err != nil {
		return err
	}
	files, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.Link(filepath.Join(src, f.Name()), filepath.Join(stored, f.Name())); err != nil {
			return err
		}
	}
	return nil
}

// KeepTable keeps every previous file of a table for which replaced is false. A table kept
// whole, which this version has not written, is the published version's folder, linked: a
// run with nothing new made some ninety folders and as many links for none of its figures.
func (v *Version) KeepTable(table string, replaced func(rel string) bool) error {
	if replaced == nil {
		if shared, err := v.shareTable(table); shared || err != nil {
			return err
		}
	}
	rels, err := v.PreviousFiles(table)
	if err != nil {
		return err
	}
	if replaced != nil && !slices.ContainsFunc(rels, replaced) {
		if shared, err := v.shareTable(table); shared || err != nil {
			return err
		}
	}
	for _, rel := range rels {
		if replaced == nil || !replaced(rel) {
			if err := v.Keep(rel); err != nil {
				return err
			}
		}
	}
	return nil
}

// Adopt moves a finished file (from the staging folder) into the version. It is flushed to
// disk when it is listed in the manifest (flushing), before the version is committed.
func (v *Version) Adopt(src, rel string) error {
	dst, err := v.Prepare(rel)
	if err != nil {
		return err
	}
	return os.Rename(src, dst)
}

// Commit makes the version durable and current: fsync every folder written, then replace the
// `current` symlink with one rename.
func (v *Version) Commit() error {
	// Together: the file system commits its journal once for fsyncs that wait at the same
	// time, where one after another each waits for a commit of its own (a version has a
	// hundred folders; 70 ms of a run with nothing new, one by one).
	var g errgroup.Group
	g.SetLimit(32)
	for d := range v.dirs {
		g.Go(func() error { return SyncDir(d) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := SyncDir(filepath.Dir(v.Dir)); err != nil {
		return err
	}
	// Just before the rename: a lake folder moved while the run wrote is not its own to publish
	// in any more (another run may hold the folder now at that path).
	if err := v.lake.checkLock(); err != nil {
		return err
	}
	if err := v.lake.CheckLayout(); err != nil {
		return err
	}
	rel, err := filepath.Rel(v.lake.Dir, v.Dir)
	if err != nil {
		return err
	}
	if err := ReplaceSymlink(rel, filepath.Join(v.lake.Dir, CurrentLink)); err != nil {
		return err
	}
	return SyncDir(v.lake.Dir)
}

// CheckLayout makes every lake/<table> a symlink into the current version (once), and fails
// on anything else there, before a run does any work.
func (l Lake) CheckLayout() error {
	for _, t := range Tables {
		if err := l.ensureTableLink(t); err != nil {
			return err
		}
	}
	return nil
}

// ensureTableLink makes lake/<table> point into the current version, once.
func (l Lake) ensureTableLink(table string) error {
	link := filepath.Join(l.Dir, table)
	want := filepath.Join(CurrentLink, table)
	got, err := os.Readlink(link)
	switch {
	case err == nil && got == want:
		return nil
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return ReplaceSymlink(want, link)
	default:
		return fmt.Errorf("%w: %s is not a symlink into %s/ (a lake from an older scorecard? use a new lake folder)", ErrLayout, link, CurrentLink)
	}
}

// ReplaceSymlink points link at target atomically: a new symlink renamed over the old one.
func ReplaceSymlink(target, link string) error {
	tmp := link + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, link)
}

// Prune removes versions other than the current and the previous one (a reader that listed the
// previous version a moment ago can still open its files), staging folders, and the folders of
// tables and run partitions no version left links to. It removes
// only what runs that started no later than the current version's run left, plus, whatever its
// time, what the finished run (the caller, done with it; "" for none) left unpublished; and
// only with the lake lock verified held. A run that started later may still be writing (with
// the lock lost to a moved lake folder, or under a scorecard that locks only .lock), and a
// name that is no run id is not ours: neither is touched.
func (l Lake) Prune(current, previous, finished string) error {
	return l.prune(current, previous, finished, "")
}

// PruneOthers is Prune leaving alone the folders of the run named running, which are still in
// use: finish removes old versions while DuckDB closes (and still spills into the run's staging
// folder), then calls Prune for the run's own folders.
func (l Lake) PruneOthers(current, previous, running string) error {
	return l.prune(current, previous, "", running)
}

func (l Lake) prune(current, previous, finished, running string) error {
	if err := l.checkLock(); err != nil {
		return fmt.Errorf("not removing anything: %w", err)
	}
	bound, ok := runStart(filepath.Base(current))
	if !ok {
		return nil
	}
	keep := map[string]bool{filepath.Base(current): true, filepath.Base(previous): true}
	var errs []error
	for _, dir := range []string{VersionsDir, StagingDirName} {
		entries, err := os.ReadDir(filepath.Join(l.Dir, dir))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if dir == VersionsDir && keep[name] || !prunable(name, bound, finished, running) {
				continue // a version readers use; not a run's; what a later run may be writing
			}
			errs = append(errs, os.RemoveAll(filepath.Join(l.Dir, dir, name)))
		}
	}
	return errors.Join(append(errs, l.pruneLinked(bound, finished, running))...)
}

// pruneLinked removes the folders of .tables and .parts that no version left links to (a table
// every version since has written again, a raw landing past its retention, a failed run's),
// with prune's rules for the run that wrote each.
func (l Lake) pruneLinked(bound, finished, running string) error {
	versions, err := os.ReadDir(filepath.Join(l.Dir, VersionsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	linked := map[string]bool{} // relative to the lake
	for _, v := range versions {
		dir := filepath.Join(l.Dir, VersionsDir, v.Name())
		for _, t := range Tables {
			if target, err := os.Readlink(filepath.Join(dir, t)); err == nil {
				linked[filepath.Join(TablesDir, t, filepath.Base(target))] = true
			}
		}
		for _, rel := range runParts(dir) {
			linked[filepath.Join(PartsDir, rel)] = true
		}
	}
	folders, _ := filepath.Glob(filepath.Join(l.Dir, TablesDir, "*", "*")) // errors only on a bad pattern
	for _, rel := range runParts(filepath.Join(l.Dir, PartsDir)) {
		folders = append(folders, filepath.Join(l.Dir, PartsDir, rel))
	}
	var errs []error
	for _, f := range folders {
		rel, err := filepath.Rel(l.Dir, f)
		name := strings.TrimPrefix(filepath.Base(f), RunIDKey+"=") // a version, or a run id
		if err != nil || linked[rel] || !prunable(name, bound, finished, running) {
			continue
		}
		errs = append(errs, os.RemoveAll(f))
	}
	return errors.Join(errs...)
}

// prunable says whether a folder named for a run (or a version) may be removed: it is a run's,
// not the running run's, nor what a run that started after the current version's may be
// writing, unless it is the finished run's own.
func prunable(name, bound, finished, running string) bool {
	started, ok := runStart(name)
	return ok && !runFolder(name, running) && (started <= bound || runFolder(name, finished))
}

// runParts lists the run partitions under root (a version, or the parts), relative to it.
func runParts(root string) []string {
	var out []string
	for _, t := range Specs {
		if n := len(t.Keys); n == 0 || t.Keys[n-1] != RunIDKey {
			continue
		}
		glob := t.Name + strings.Repeat("/*", len(t.Keys)-1) + "/" + RunIDKey + "=*"
		found, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(glob))) // errors only on a bad pattern
		for _, f := range found {
			rel, _ := filepath.Rel(root, f)
			out = append(out, rel)
		}
	}
	return out
}

// runFolder says whether a folder of .versions or .staging is the run runID's (<run_id> or
// <run_id>.<suffix>); never for no run ("").
func runFolder(name, runID string) bool {
	return runID != "" && (name == runID || strings.HasPrefix(name, runID+"."))
}

// NewestRunFiles is the last n of a sorted list of run files (runs/<run_id>.parquet), with the
// files before them whose runs started in the same second as the first of those: every run
// outside it started before every run in it. All of files when one is not named for a run.
func NewestRunFiles(files []string, n int) []string {
	starts := make([]string, len(files))
	for i, f := range files {
		start, ok := runStart(filepath.Base(f))
		if !ok {
			return files
		}
		starts[i] = start
	}
	first := max(len(files)-n, 0)
	for first > 0 && starts[first-1] == starts[first] {
		first--
	}
	return files[first:]
}

// runStart is the start time a run id (or a folder named for one) begins with, as its text,
// which sorts as the time does.
func runStart(name string) (string, bool) {
	n := len(RunIDTime)
	if len(name) < n {
		return "", false
	}
	if _, err := time.Parse(RunIDTime, name[:n]); err != nil {
		return "", false
	}
	return name[:n], true
}

// Checksum describes one file of a version for the manifest.
func (v *Version) Checksum(rel string, rows int64) (OutputFile, error) {
	sum, err := FileSHA256(v.Path(rel))
	return OutputFile{Path: filepath.ToSlash(rel), Rows: rows, SHA256: sum}, err
}

func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SyncFile flushes a written file to disk, so a rename after it publishes complete bytes.
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
