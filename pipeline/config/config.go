// Package config reads the config file (SPEC §7): the lake, the time zone and closed days, the
// plans, the sources, the outputs and the limits, decoded strictly and validated with
// file:line:column errors.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"scorecard/pipeline/outputs"
	"scorecard/pipeline/period"
	"scorecard/rules"
	"scorecard/sources"
)

// Defaults of the run limits.
const (
	DefaultMaxQuarantinePct = 5
	DefaultRawRetentionDays = 400
	DefaultMaxShrinkPct     = 1
	DefaultAtRiskDays       = 7
)

// Source modes (SPEC §10): what a file source's files mean.
const (
	// ModeDelta: each file holds new and changed rows; a case once landed stays until a newer
	// record replaces it, and a file that disappears changes nothing.
	ModeDelta = "delta"
	// ModeSnapshot: the files present are the whole truth; a case no longer in them leaves.
	ModeSnapshot = "snapshot"
)

// DefaultTimezone is the zone in which timestamps become local dates when the config names none.
const DefaultTimezone = "Europe/Copenhagen"

// Config is the run configuration read from a YAML file.
type Config struct {
	Version  int            `yaml:"version"`
	Lake     string         `yaml:"lake"`
	Timezone string         `yaml:"timezone"`
	Plans    []any          `yaml:"plans"`
	Sources  []SourceConfig `yaml:"sources"`
	DuckDB   DuckDBConfig   `yaml:"duckdb"`
	// MaxQuarantinePct fails a run in which a source quarantines more than this share of the
	// rows it read (default 5).
	MaxQuarantinePct *float64 `yaml:"max_quarantine_pct"`
	// RawRetentionDays is how long raw landings are kept (default 400).
	RawRetentionDays *int `yaml:"raw_retention_days"`
	// MaxShrinkPct fails a run that would remove more than this share of a source's published
	// cases (default 1); a source may set its own.
	MaxShrinkPct *float64 `yaml:"max_shrink_pct"`
	// AtRiskDays lists an open case as at risk when its deadline is at most this many days
	// after the as-of date (default 7; SPEC §8).
	AtRiskDays *int `yaml:"at_risk_days"`
	// ClosedDays are further days off (YYYY-MM-DD) beside the public holidays of a plan's
	// calendar: days the agency is closed, such as Grundlovsdag or 24 December, which are
	// not Danish public holidays (SPEC §9). They do not count as weekdays.
	ClosedDays []string `yaml:"closed_days"`
	// Outputs are the loaders run after the lake is published.
	Outputs []OutputConfig `yaml:"outputs"`

	// Path is the config file; relative paths in it are relative to its folder.
	Path string `yaml:"-"`
	// Location is Timezone loaded.
	Location *time.Location `yaml:"-"`

	// closed is ClosedDays parsed, in file order.
	closed []time.Time
	// planAt is where each entry of Plans is written, FILE:LINE:COL, for LoadPlans' errors.
	planAt []string
}

// SourceConfig is one entry of `sources:`.
type SourceConfig struct {
	Name      string            `yaml:"name"`
	Kind      string            `yaml:"kind"`
	Path      string            `yaml:"path"`
	Delimiter string            `yaml:"delimiter"`
	Columns   map[string]string `yaml:"columns"`
	// Dataset is the record the source holds (SPEC §9): cases (the default), appointments or
	// status.
	Dataset string `yaml:"dataset"`
	// Mode says what a file source's files mean: delta (default) or snapshot (SPEC §10).
	Mode string `yaml:"mode"`
	// MaxShrinkPct overrides the global max_shrink_pct for this source.
	MaxShrinkPct *float64 `yaml:"max_shrink_pct"`
	// Encoding of a CSV source's files: utf-8 (default), windows-1252 or iso-8859-1.
	Encoding string `yaml:"encoding"`
	// CaseTypes maps the source's own case-type values (codes, Danish labels) to catalogue
	// slugs; a value not in the map must be a slug itself.
	CaseTypes map[string]string `yaml:"case_types"`
	// SQL sources: the DSN is read from the environment variable DSNEnv, never from the file.
	DSNEnv      string             `yaml:"dsn_env"`
	Table       string             `yaml:"table"`
	Query       string             `yaml:"query"`
	Incremental *IncrementalConfig `yaml:"incremental"`
	Retry       string             `yaml:"retry"` // how long to retry a refused connection (default 30s)

	retry time.Duration
}

// OutputConfig is one entry of `outputs:`.
type OutputConfig struct {
	Kind   string `yaml:"kind"`
	Path   string `yaml:"path"`    // file outputs; relative to the config file
	Table  string `yaml:"table"`   // postgres
	DSNEnv string `yaml:"dsn_env"` // postgres
}

// IncrementalConfig makes a nightly run read only the rows changed since the last published
// run, less an overlap for late commits.
type IncrementalConfig struct {
	Column  string `yaml:"column"`
	Overlap string `yaml:"overlap"` // a Go duration: 1h, 30m

	overlap time.Duration
}

// OverlapDuration is the parsed overlap.
func (i *IncrementalConfig) OverlapDuration() time.Duration { return i.overlap }

// sqlKinds are the source kinds that read a database.
var sqlKinds = []string{"postgres", "mysql"}

// DatasetOrCases is the dataset the source reads: the one its `dataset:` names, cases when
// it names none (or one validation refused).
func (s SourceConfig) DatasetOrCases() sources.Dataset {
	d, err := sources.DatasetNamed(s.Dataset)
	if err != nil {
		return sources.Cases
	}
	return d
}

// IsCases reports whether the source reads the case records.
func (s SourceConfig) IsCases() bool { return s.DatasetOrCases().Name == sources.Cases.Name }

// IsSQL reports whether the source reads a database.
func (s SourceConfig) IsSQL() bool { return slices.Contains(sqlKinds, s.Kind) }

// DuckDBConfig bounds the embedded engine; DuckDB's own defaults take all cores and 80% of RAM.
type DuckDBConfig struct {
	MemoryLimit string `yaml:"memory_limit"`
	Threads     int    `yaml:"threads"`
}

// EffectiveMode is what the source's data means: a file source's mode (delta unless it says
// snapshot); an SQL source is a snapshot when read whole, a delta when incremental.
func (s SourceConfig) EffectiveMode() string {
	switch {
	case s.IsSQL() && s.Incremental == nil:
		return ModeSnapshot
	case s.IsSQL(), s.Mode == "":
		return ModeDelta
	}
	return s.Mode
}

// ReadWhole reports whether the source's cases are what it holds now, so that a case it no
// longer holds leaves the lake: a snapshot.
func (s SourceConfig) ReadWhole() bool { return s.EffectiveMode() == ModeSnapshot }

// ShrinkLimitPct is the source's max_shrink_pct, else the global one, else its default.
func (c *Config) ShrinkLimitPct(s SourceConfig) float64 {
	switch {
	case s.MaxShrinkPct != nil:
		return *s.MaxShrinkPct
	case c.MaxShrinkPct != nil:
		return *c.MaxShrinkPct
	}
	return DefaultMaxShrinkPct
}

// QuarantineLimitPct is max_quarantine_pct, or its default.
func (c *Config) QuarantineLimitPct() float64 {
	if c.MaxQuarantinePct == nil {
		return DefaultMaxQuarantinePct
	}
	return *c.MaxQuarantinePct
}

// AtRiskWithin is at_risk_days, or its default.
func (c *Config) AtRiskWithin() int {
	if c.AtRiskDays == nil {
		return DefaultAtRiskDays
	}
	return *c.AtRiskDays
}

// ClosedDates are the closed days, parsed, in file order.
func (c *Config) ClosedDates() []time.Time { return c.closed }

// Calendar is the calendar called name (a plan's `calendar:`) with the config's closed days.
func (c *Config) Calendar(name string) (*rules.Calendar, error) {
	return rules.NewCalendar(name, c.closed...)
}

// RetentionDays is raw_retention_days, or its default.
func (c *Config) RetentionDays() int {
	if c.RawRetentionDays == nil {
		return DefaultRawRetentionDays
	}
	return *c.RawRetentionDays
}

// BaseDir is the folder relative paths in the config are resolved against.
func (c *Config) BaseDir() string { return filepath.Dir(c.Path) }

// LakeDir is the absolute lake folder.
func (c *Config) LakeDir() string { return c.resolve(c.Lake) }

// PlanRefs returns the `plans:` entries as strings (built-in ids may be written as numbers).
func (c *Config) PlanRefs() []string {
	refs := make([]string, len(c.Plans))
	for i, p := range c.Plans {
		refs[i] = fmt.Sprint(p)
	}
	return refs
}

// SourceSpec turns a source entry into what an extractor needs.
func (c *Config) SourceSpec(s SourceConfig) sources.Config {
	path := s.Path
	if path != "" {
		path = c.resolve(path)
	}
	return sources.Config{Name: s.Name, Kind: s.Kind, Path: path, Delimiter: s.Delimiter, Columns: s.Columns,
		Dataset: s.DatasetOrCases(), Encoding: s.Encoding, DSNEnv: s.DSNEnv, Table: s.Table, Query: s.Query, Retry: s.retry}
}

func (c *Config) resolve(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.BaseDir(), p)
}

var sourceNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// LoadConfig reads and validates a config file; every problem is reported at once as
// FILE:LINE:COL: field "x": message, wrapped in ErrConfig. The file is held to the limits of a
// plan file (rules.MaxFileBytes and the nesting, key and alias limits of rules/limits.go), so a
// device, a huge file or an alias bomb given as the config is refused rather than exhaust memory.
func LoadConfig(path string, kinds []string) (*Config, error) {
	data, err := rules.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	root, err := rules.ParseDocument(path, "config file", data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrConfig, err) // %s: it is not an invalid plan
	}
	cfg := &Config{Path: abs}
	if err := decodeConfig(root, cfg); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrConfig, decodeProblem(path, err))
	}
	v := &configValidator{root: root, name: path}
	v.validate(cfg, kinds)
	if len(v.problems) > 0 {
		return nil, fmt.Errorf("%w:\n%s", ErrConfig, strings.Join(v.problems, "\n"))
	}
	return cfg, nil
}

// decodeConfig decodes the YAML document strictly; an empty one leaves cfg empty. go-yaml v1.19
// panics on some hostile input (a tagged scalar where a list belongs, "sources: !!seq"), which
// rules.ParseDocument refuses; should another such input reach it, that is one more bad
// config, not a crash.
func decodeConfig(root ast.Node, cfg *Config) (err error) {
	if root == nil {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the YAML cannot be decoded (%v): write plain values, without tags", p)
		}
	}()
	return yaml.NodeToValue(root, cfg, yaml.Strict())
}

// decodeProblem formats a go-yaml error as FILE:LINE:COL: message, like the validator's problems.
func decodeProblem(name string, err error) string {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return fmt.Sprintf("%s: %v", name, err)
	}
	pos := ye.GetToken().Position
	return fmt.Sprintf("%s:%d:%d: %s", name, pos.Line, pos.Column, ye.GetMessage())
}

// LoadPlans loads every plan the config names, all or nothing: a plan that fails to load fails
// them all, and one that cannot be read is reported where the config names it. Two plans of one id, however they are referred to, are a config error naming both,
// as the scorecard is keyed by plan id and would report their rows twice over. A nil cat means
// rules.BuiltinCatalogue().
func LoadPlans(cfg *Config, cat *rules.Catalogue) ([]*rules.Plan, error) {
	refs := cfg.PlanRefs()
	plans := make([]*rules.Plan, len(refs))
	first := map[string]int{} // plan id -> the index of the first plan with it
	var errs []error
	for i, ref := range refs {
		p, err := rules.LoadPlan(ref, cfg.BaseDir(), cat)
		var inFile *rules.ValidationError
		switch {
		case errors.As(err, &inFile): // positioned in the plan file
			errs = append(errs, err)
			continue
		case err != nil: // the reference itself: say where the config makes it
			errs = append(errs, fmt.Errorf(`%s: field "plans": %w`, cfg.planPosition(i), err))
			continue
		}
		plans[i] = p
		if j, ok := first[p.ID]; ok {
			errs = append(errs, fmt.Errorf(`%w: %s: field "plans": plans %s and %s both have id %q`,
				ErrConfig, cfg.planPosition(i), planName(j, refs[j], plans[j]), planName(i, ref, p), p.ID))
			continue
		}
		first[p.ID] = i
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return plans, nil
}

// planName names the i-th plan of the config (from 0) as a user reads it: `2 ("./my.yaml")`.
func planName(i int, ref string, p *rules.Plan) string {
	if strings.HasPrefix(p.Source, "builtin:") {
		return fmt.Sprintf("%d (%q, built-in)", i+1, ref)
	}
	return fmt.Sprintf("%d (%q)", i+1, ref)
}

// planPosition is where the config names its i-th plan: FILE:LINE:COL, or the file alone.
func (c *Config) planPosition(i int) string {
	if i < len(c.planAt) {
		return c.planAt[i]
	}
	return cmp.Or(c.Path, "config")
}

type configValidator struct {
	root     ast.Node // nil for an empty file
	name     string
	problems []string
}

// add records a problem at the YAML node of path (or its nearest existing parent).
func (v *configValidator) add(path, field, format string, args ...any) {
	line, col := nodePosition(v.root, path)
	v.problems = append(v.problems, fmt.Sprintf("%s:%d:%d: field %q: %s", v.name, line, col, field, fmt.Sprintf(format, args...)))
}

func (v *configValidator) validate(cfg *Config, kinds []string) {
	if cfg.Version == 0 {
		cfg.Version = 1
	}
	if cfg.Version != 1 {
		v.add("$.version", "version", "version %d is not supported (allowed: 1)", cfg.Version)
	}
	if cfg.Lake == "" {
		v.add("$", "lake", "is required: the folder of the Parquet lake")
	}
	v.validateTimezone(cfg)
	v.validatePlans(cfg)
	v.validateSources(cfg, kinds)
	v.validateOutputs(cfg)
	v.validateWrites(cfg)
	if cfg.DuckDB.Threads < 0 {
		v.add("$.duckdb.threads", "threads", "must be 0 (one per core) or more, got %d", cfg.DuckDB.Threads)
	}
	if cfg.DuckDB.Threads == 0 {
		cfg.DuckDB.Threads = runtime.NumCPU()
	}
	if cfg.DuckDB.MemoryLimit == "" {
		cfg.DuckDB.MemoryLimit = "1GB"
	}
	if pct := cfg.QuarantineLimitPct(); pct < 0 || pct > 100 {
		v.add("$.max_quarantine_pct", "max_quarantine_pct", "must be between 0 and 100, got %g", pct)
	}
	if cfg.MaxShrinkPct != nil && (*cfg.MaxShrinkPct < 0 || *cfg.MaxShrinkPct > 100) {
		v.add("$.max_shrink_pct", "max_shrink_pct", "must be between 0 and 100, got %g", *cfg.MaxShrinkPct)
	}
	if days := cfg.RetentionDays(); days < 1 {
		v.add("$.raw_retention_days", "raw_retention_days", "must be at least 1, got %d", days)
	}
	if days := cfg.AtRiskWithin(); days < 0 || days > 366 {
		v.add("$.at_risk_days", "at_risk_days", "must be between 0 and 366, got %d", days)
	}
	v.validateClosedDays(cfg)
}

// validateClosedDays parses closed_days: each a YYYY-MM-DD date.
func (v *configValidator) validateClosedDays(cfg *Config) {
	cfg.closed = cfg.closed[:0]
	for i, s := range cfg.ClosedDays {
		d, err := period.ParseDate(strings.TrimSpace(s))
		if err != nil {
			v.add(fmt.Sprintf("$.closed_days[%d]", i), "closed_days", "%v", err)
			continue
		}
		cfg.closed = append(cfg.closed, d)
	}
}

// validateTimezone requires an IANA zone, Europe/Copenhagen when the field is left out.
// time.LoadLocation also takes "" and "Local" for the machine's zone, which would make the
// figures depend on the machine, and which DuckDB does not know.
func (v *configValidator) validateTimezone(cfg *Config) {
	switch {
	case cfg.Timezone == "" && v.has("$.timezone"):
		v.add("$.timezone", "timezone", "is empty; name an IANA zone such as %s, or leave the field out for the default", DefaultTimezone)
		return
	case cfg.Timezone == "":
		cfg.Timezone = DefaultTimezone
	case cfg.Timezone == "Local":
		v.add("$.timezone", "timezone", "%q is the machine's own zone, which DuckDB does not know and other machines differ in; name an IANA zone such as %s", cfg.Timezone, DefaultTimezone)
		return
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		v.add("$.timezone", "timezone", "unknown time zone %q (an IANA name such as Europe/Copenhagen)", cfg.Timezone)
		return
	}
	cfg.Location = loc
}

// validatePlans requires plans, refuses a reference given twice, and notes where each is
// written; plans of one id under different references are LoadPlans' to find.
func (v *configValidator) validatePlans(cfg *Config) {
	if len(cfg.Plans) == 0 {
		v.add("$", "plans", "is required: built-in plan ids or plan file paths")
		return
	}
	cfg.planAt = v.entryPositions("$.plans", len(cfg.Plans))
	first := map[string]int{}
	for i, ref := range cfg.PlanRefs() {
		j, ok := first[ref]
		if !ok {
			first[ref] = i
			continue
		}
		v.problems = append(v.problems, fmt.Sprintf(`%s: field "plans": plans %d and %d both name %q`, cfg.planAt[i], j+1, i+1, ref))
	}
}

func (v *configValidator) validateSources(cfg *Config, kinds []string) {
	if len(cfg.Sources) == 0 {
		v.add("$", "sources", "at least one source is required")
	}
	seen := map[string]bool{}
	for i, s := range cfg.Sources {
		at := fmt.Sprintf("$.sources[%d]", i)
		switch {
		case !sourceNamePattern.MatchString(s.Name):
			v.add(at+".name", "name", "source name %q must match [A-Za-z0-9_-]+", s.Name)
		case seen[s.Name]:
			v.add(at+".name", "name", "source name %q is used twice", s.Name)
		}
		seen[s.Name] = true
		if !slices.Contains(kinds, s.Kind) {
			v.add(at+".kind", "kind", "kind %q is not one of %s", s.Kind, strings.Join(kinds, ", "))
		}
		if s.Kind == "csv" && s.Path == "" {
			v.add(at, "path", "is required for a csv source")
		}
		if s.IsSQL() {
			v.validateSQLSource(at, &cfg.Sources[i])
		} else if s.DSNEnv != "" || s.Table != "" || s.Query != "" || s.Incremental != nil {
			v.add(at, "kind", "dsn_env, table, query and incremental belong to the SQL kinds (%s)", strings.Join(sqlKinds, ", "))
		}
		if s.Delimiter != "" && !slices.Contains([]string{",", ";", "\t", "|"}, s.Delimiter) {
			v.add(at+".delimiter", "delimiter", "delimiter %q is not one of \",\", \";\", tab, \"|\"", s.Delimiter)
		}
		v.validateDataset(at, s)
		v.validateColumns(at, s.DatasetOrCases(), s.Columns)
		v.validateFileKeys(at, &cfg.Sources[i])
		v.validateCaseTypes(at, s.CaseTypes)
	}
}

// validateFileKeys checks path, mode, encoding and max_shrink_pct of a source.
func (v *configValidator) validateFileKeys(at string, s *SourceConfig) {
	if _, err := filepath.Match(s.Path, ""); err != nil {
		v.add(at+".path", "path", "%q is not a valid glob: %v", s.Path, err)
	}
	switch {
	case s.IsSQL() && s.Mode != "":
		v.add(at+".mode", "mode", "an SQL source has no mode: an incremental one is a delta, one read whole a snapshot")
	case s.Mode != "" && s.Mode != ModeDelta && s.Mode != ModeSnapshot:
		v.add(at+".mode", "mode", "mode %q is not one of %s, %s", s.Mode, ModeDelta, ModeSnapshot)
	}
	if p := s.MaxShrinkPct; p != nil && (*p < 0 || *p > 100) {
		v.add(at+".max_shrink_pct", "max_shrink_pct", "must be between 0 and 100, got %g", *p)
	}
	if s.Encoding == "" {
		return
	}
	enc := strings.ToLower(strings.TrimSpace(s.Encoding))
	switch enc {
	case "utf8":
		enc = "utf-8"
	case "cp1252", "windows1252":
		enc = "windows-1252"
	case "latin-1", "latin1", "iso8859-1", "iso-8859-1":
		enc = "iso-8859-1"
	}
	switch {
	case s.Kind != "csv":
		v.add(at+".encoding", "encoding", "only a csv source has an encoding (a database hands over text)")
	case !slices.Contains(sources.Encodings, enc):
		v.add(at+".encoding", "encoding", "encoding %q is not one of %s", s.Encoding, strings.Join(sources.Encodings, ", "))
	default:
		s.Encoding = enc
	}
}

// validateCaseTypes checks that every value of a source's case_types map is a catalogue slug.
func (v *configValidator) validateCaseTypes(at string, types map[string]string) {
	cat := rules.BuiltinCatalogue()
	for _, k := range slices.Sorted(maps.Keys(types)) {
		switch slug := types[k]; {
		case strings.TrimSpace(k) == "":
			v.add(at+".case_types", "case_types", "a blank source value cannot be mapped")
		case !catalogueHas(cat, slug):
			v.add(at+".case_types."+k, "case_types", "%q maps to %q, which is not a slug of the case-type catalogue (rules/catalogue.yaml)", k, slug)
		}
	}
}

func catalogueHas(cat *rules.Catalogue, slug string) bool {
	_, ok := cat.Lookup(slug)
	return ok
}

func (v *configValidator) validateOutputs(cfg *Config) {
	kinds := outputs.Kinds()
	for i, o := range cfg.Outputs {
		at := fmt.Sprintf("$.outputs[%d]", i)
		switch {
		case !slices.Contains(kinds, o.Kind):
			v.add(at+".kind", "kind", "output kind %q is not one of %s", o.Kind, strings.Join(kinds, ", "))
		case o.Kind == "postgres" && !envNamePattern.MatchString(o.DSNEnv):
			v.add(at, "dsn_env", "is required: the name of the environment variable holding the DSN")
		case o.Kind != "postgres" && o.Path == "":
			v.add(at, "path", "is required for a %s output", o.Kind)
		}
	}
}

// validateWrites refuses a file output, or the lake, where a file source's glob reads: the
// next run would land the output, or the lake's own files, as cases. Globs match one path
// segment per segment (filepath.Glob, "**" included) and a source skips folders, so a glob
// reaches only files at its own depth.
func (v *configValidator) validateWrites(cfg *Config) {
	for i, s := range cfg.Sources {
		if s.IsSQL() || s.Path == "" {
			continue
		}
		glob := cfg.resolve(s.Path)
		line, _ := nodePosition(v.root, fmt.Sprintf("$.sources[%d].path", i))
		if cfg.Lake != "" && globReaches(glob, cfg.LakeDir()) {
			v.add("$.lake", "lake", "the lake folder %q is inside the path %q of source %q (line %d): a run would read its own files as cases",
				cfg.Lake, s.Path, s.Name, line)
		}
		for j, o := range cfg.Outputs {
			if o.Kind != "postgres" && o.Path != "" && readsOutput(glob, cfg.resolve(o.Path)) {
				v.add(fmt.Sprintf("$.outputs[%d].path", j), "path", "%s output %q is matched by the path %q of source %q (line %d): the next run would read it as cases",
					o.Kind, o.Path, s.Path, s.Name, line)
			}
		}
	}
}

// readsOutput reports whether a source's glob matches a file output's path, or the temporary
// file the output is written to first, beside it (".NAME.tmp-" and digits, see outputs'
// writeAtomic), which a crash may leave behind.
func readsOutput(glob, out string) bool {
	dir, base := filepath.Split(out)
	for _, p := range []string{out, filepath.Join(dir, "."+base+".tmp-1234567890")} {
		if ok, _ := filepath.Match(glob, p); ok {
			return true
		}
	}
	return false
}

// globReaches reports whether a glob may match a file inside dir, at any depth: whether it has
// more segments than dir and its first ones match dir's.
func globReaches(glob, dir string) bool {
	sep := string(filepath.Separator)
	g, d := strings.Split(glob, sep), strings.Split(dir, sep)
	if len(g) <= len(d) {
		return false
	}
	for i := range d {
		if ok, _ := filepath.Match(g[i], d[i]); !ok {
			return false
		}
	}
	return true
}

// OutputSpec turns an output entry into a loader config, reading the DSN from the environment.
func (c *Config) OutputSpec(o OutputConfig) outputs.Config {
	spec := outputs.Config{Kind: o.Kind, Table: o.Table, DSNEnv: o.DSNEnv}
	if o.Path != "" {
		spec.Path = c.resolve(o.Path)
	}
	if o.DSNEnv != "" {
		spec.DSN = os.Getenv(o.DSNEnv)
	}
	return spec
}

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (v *configValidator) validateSQLSource(at string, s *SourceConfig) {
	if !envNamePattern.MatchString(s.DSNEnv) {
		v.add(at, "dsn_env", "is required: the name of the environment variable holding the DSN (never the DSN itself)")
	}
	if (s.Table == "") == (s.Query == "") {
		v.add(at, "table", "give exactly one of table and query")
	}
	if s.Path != "" {
		v.add(at+".path", "path", "an SQL source reads no files")
	}
	if s.Retry != "" {
		d, err := time.ParseDuration(s.Retry)
		if err != nil || d <= 0 {
			v.add(at+".retry", "retry", "%q is not a duration such as 30s or 2m", s.Retry)
		}
		s.retry = d
	}
	if inc := s.Incremental; inc != nil {
		if inc.Column != "updated_at" {
			v.add(at+".incremental.column", "incremental.column", "%q: the watermark is kept on updated_at (map the source's change column to it in columns:)", inc.Column)
		}
		d, err := time.ParseDuration(inc.Overlap)
		if inc.Overlap != "" && (err != nil || d < 0) {
			v.add(at+".incremental.overlap", "incremental.overlap", "%q is not a duration such as 1h or 30m", inc.Overlap)
		}
		inc.overlap = d
	}
}

func (v *configValidator) validateColumns(at string, d sources.Dataset, columns map[string]string) {
	keys := make([]string, 0, len(columns))
	for k := range columns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(d.Columns, k) {
			what := "a canonical column"
			if d.Name != sources.Cases.Name {
				what = "a column of dataset " + d.Name
			}
			v.add(at+".columns."+k, "columns", "%q is not %s (allowed: %s)", k, what, strings.Join(d.Columns, ", "))
		} else if strings.TrimSpace(columns[k]) == "" {
			v.add(at+".columns."+k, "columns", "%q is mapped to an empty column name", k)
		}
	}
}

// validateDataset checks a source's `dataset:`: one of sources.DatasetNames() that the
// pipeline curates, and only the keys that dataset's data can use. A status register is small
// and read whole: it has no incremental read and no case types.
func (v *configValidator) validateDataset(at string, s SourceConfig) {
	if s.Dataset == "" {
		return
	}
	if names := sources.DatasetNames(); !slices.Contains(names, s.Dataset) {
		v.add(at+".dataset", "dataset", "dataset %q is not one of %s", s.Dataset, strings.Join(names, ", "))
		return
	}
	if s.IsCases() {
		return
	}
	if s.Incremental != nil {
		v.add(at+".incremental", "incremental", "a %s source is read whole: it has no incremental read", s.Dataset)
	}
	if len(s.CaseTypes) > 0 {
		v.add(at+".case_types", "case_types", "a %s source has no case types", s.Dataset)
	}
}

// has reports whether the document has a node at path, an empty value included.
func (v *configValidator) has(path string) bool { return nodeAt(v.root, path) != nil }

// entryPositions returns FILE:LINE:COL of each of the n entries of the list at path; an entry
// the YAML does not show (the list is an alias) gets the list's position.
func (v *configValidator) entryPositions(path string, n int) []string {
	list := nodeAt(v.root, path)
	if a, ok := list.(*ast.AnchorNode); ok {
		list = a.Value
	}
	var values []ast.Node
	if seq, ok := list.(*ast.SequenceNode); ok {
		values = seq.Values
	}
	line, col := nodePosition(v.root, path)
	pos := make([]string, n)
	for i := range pos {
		l, c := line, col
		if i < len(values) {
			l, c = startPosition(values[i])
		}
		pos[i] = fmt.Sprintf("%s:%d:%d", v.name, l, c)
	}
	return pos
}

// nodeAt returns the node at a YAML path, or nil.
func nodeAt(root ast.Node, path string) ast.Node {
	yp, err := yaml.PathString(path)
	if err != nil || root == nil {
		return nil
	}
	node, err := yp.FilterNode(root)
	if err != nil {
		return nil
	}
	return node
}

// nodePosition finds the line and column of a YAML path, falling back to its parents.
func nodePosition(root ast.Node, path string) (int, int) {
	for p := path; p != ""; {
		if node := nodeAt(root, p); node != nil {
			return startPosition(node)
		}
		cut := strings.LastIndexAny(p, ".[")
		if cut <= 0 {
			break
		}
		p = p[:cut]
	}
	return 1, 1
}

// startPosition is where a node starts; a block mapping's own token is its first ':', so it
// starts at its first key.
func startPosition(node ast.Node) (int, int) {
	tk := node.GetToken()
	if m, ok := node.(*ast.MappingNode); ok && len(m.Values) > 0 {
		tk = m.Values[0].Key.GetToken()
	}
	return tk.Position.Line, tk.Position.Column
}

// ErrConfig marks a bad config file or plan: the CLI exits 2 on it.
var ErrConfig = errors.New("bad config")

// SourceNamed is the configured source of that name.
func (c *Config) SourceNamed(name string) SourceConfig {
	for _, s := range c.Sources {
		if s.Name == name {
			return s
		}
	}
	return SourceConfig{Name: name}
}
