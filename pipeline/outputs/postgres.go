package outputs

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// DefaultTable is the table a postgres output writes when its config names none.
const DefaultTable = "scorecard"

// requirementsSuffix names the requirements table after the scorecard table; maxPGName is
// the longest name PostgreSQL keeps (NAMEDATALEN - 1).
const (
	requirementsSuffix = "_requirements"
	maxPGName          = 63
)

// postgresLoader upserts the scorecard rows into a table and the requirements view's rows
// into a second table beside it (requirementsTable), in one transaction.
type postgresLoader struct {
	table  pgx.Identifier
	dsn    string
	dsnEnv string
}

var _ Loader = (*postgresLoader)(nil)

func newPostgres(cfg Config) (*postgresLoader, error) {
	table := cfg.Table
	if table == "" {
		table = DefaultTable
	}
	parts := strings.Split(table, ".")
	if len(parts) > 2 || slices.Contains(parts, "") {
		return nil, fmt.Errorf("%w: postgres table %q is not table or schema.table", ErrConfig, table)
	}
	// PostgreSQL cuts a longer name silently, and the requirements table would be another's.
	if len(parts[len(parts)-1]+requirementsSuffix) > maxPGName {
		return nil, fmt.Errorf("%w: postgres table %q is too long for its requirements table %q (at most %d bytes)",
			ErrConfig, table, parts[len(parts)-1]+requirementsSuffix, maxPGName)
	}
	if cfg.DSN == "" {
		return nil, fmt.Errorf("%w: postgres output %s has no connection string (set %s)", ErrConfig, table, envName(cfg.DSNEnv))
	}
	return &postgresLoader{table: pgx.Identifier(parts), dsn: cfg.DSN, dsnEnv: cfg.DSNEnv}, nil
}

func envName(env string) string {
	if env == "" {
		return "its dsn_env variable"
	}
	return "$" + env
}

// Name is "postgres <table>", with the variable the DSN came from.
func (l *postgresLoader) Name() string {
	name := "postgres " + strings.Join(l.table, ".")
	if l.dsnEnv != "" {
		name += " ($" + l.dsnEnv + ")"
	}
	return name
}

// Load creates the table if missing and upserts every row in one
// transaction: readers see the old rows or the new ones.
func (l *postgresLoader) Load(ctx context.Context, r *Report) error {
	if err := l.load(ctx, r); err != nil {
		return &loadError{l.Name(), redact(err, l.dsn)}
	}
	return nil
}

func (l *postgresLoader) load(ctx context.Context, r *Report) error {
	cfg, err := pgx.ParseConfig(l.dsn)
	if err != nil {
		// pgx redacts what it recognises of a password in parse errors, not
		// all of it: say only where the string came from.
		return fmt.Errorf("%w: the connection string in %s does not parse", ErrConfig, envName(l.dsnEnv))
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return l.upsert(ctx, tx, r) })
}

func (l *postgresLoader) upsert(ctx context.Context, tx pgx.Tx, r *Report) error {
	if err := l.exec(ctx, tx, "pg_lock.sql", l.table.Sanitize()); err != nil {
		return err
	}
	if err := l.exec(ctx, tx, "pg_create.sql"); err != nil {
		return err
	}
	if err := l.addColumns(ctx, tx); err != nil { // before the stage copies the table's shape
		return err
	}
	if err := l.exec(ctx, tx, "pg_stage.sql"); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"scorecard_load"}, Columns, copyRows(r.Rows)); err != nil {
		return fmt.Errorf("copying rows: %w", err)
	}
	if err := upsertOn(ctx, tx, l.table, "pg_upsert.sql", Columns, scorecardKey); err != nil {
		return err
	}
	if err := l.exec(ctx, tx, "pg_prune.sql", reportPlans(r)); err != nil {
		return err
	}
	return l.upsertRequirements(ctx, tx, r)
}

// requirementsTable is the requirements table: the scorecard table's name with
// "_requirements" appended, in the same schema.
func (l *postgresLoader) requirementsTable() pgx.Identifier {
	t := slices.Clone(l.table)
	t[len(t)-1] += requirementsSuffix
	return t
}

// upsertRequirements mirrors the requirements view for the report's plans, under the same
// lock and in the same transaction as the scorecard rows: a reader never sees the two tables
// of different runs.
func (l *postgresLoader) upsertRequirements(ctx context.Context, tx pgx.Tx, r *Report) error {
	table := l.requirementsTable()
	for _, file := range []string{"pg_requirements_create.sql", "pg_requirements_stage.sql"} {
		if err := execOn(ctx, tx, table, file); err != nil {
			return err
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"requirements_load"}, RequirementColumns, copyValues(r.Requirements, Requirement.values)); err != nil {
		return fmt.Errorf("copying requirements: %w", err)
	}
	if err := upsertOn(ctx, tx, table, "pg_requirements_upsert.sql", RequirementColumns, requirementKey); err != nil {
		return err
	}
	return execOn(ctx, tx, table, "pg_requirements_prune.sql", reportPlans(r))
}

// addColumns adds the columns a table an older version made lacks (pg_columns.sql), and
// leaves a table that has them all alone: altering it would lock its readers out until the
// load commits.
func (l *postgresLoader) addColumns(ctx context.Context, tx pgx.Tx) error {
	text, err := sqlFiles.ReadFile("sql/pg_missing.sql")
	if err != nil {
		return err
	}
	var missing int
	if err := tx.QueryRow(ctx, string(text), l.table.Sanitize(), Columns).Scan(&missing); err != nil {
		return fmt.Errorf("sql/pg_missing.sql: %w", err)
	}
	if missing == 0 {
		return nil
	}
	return l.exec(ctx, tx, "pg_columns.sql")
}

// exec runs an embedded statement on the table; an error names the file.
func (l *postgresLoader) exec(ctx context.Context, tx pgx.Tx, file string, args ...any) error {
	return execOn(ctx, tx, l.table, file, args...)
}

// execOn runs an embedded statement with {{table}} the quoted name of table.
func execOn(ctx context.Context, tx pgx.Tx, table pgx.Identifier, file string, args ...any) error {
	return execText(ctx, tx, file, strings.NewReplacer("{{table}}", table.Sanitize()), args...)
}

// The keys of the two tables' upserts (their ON CONFLICT), the rest of their columns updated.
var (
	scorecardKey   = []string{"plan", "target_id", "period"}
	requirementKey = []string{"plan", "requirement_id", "period"}
)

// upsertOn runs an embedded upsert whose {{updates}} is the SET list of columns less the key:
// the columns are named once, in Columns and RequirementColumns.
func upsertOn(ctx context.Context, tx pgx.Tx, table pgx.Identifier, file string, columns, key []string) error {
	return execText(ctx, tx, file, strings.NewReplacer("{{table}}", table.Sanitize(), "{{updates}}", updateSet(columns, key)))
}

// updateSet is "a = excluded.a, b = excluded.b" over the columns not in key.
func updateSet(columns, key []string) string {
	var set []string
	for _, c := range columns {
		if !slices.Contains(key, c) {
			name := pgx.Identifier{c}.Sanitize()
			set = append(set, name+" = excluded."+name)
		}
	}
	return strings.Join(set, ", ")
}

func execText(ctx context.Context, tx pgx.Tx, file string, fill *strings.Replacer, args ...any) error {
	text, err := sqlFiles.ReadFile("sql/" + file)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, fill.Replace(string(text)), args...); err != nil {
		return fmt.Errorf("sql/%s: %w", file, err)
	}
	return nil
}

// copyRows feeds the rows to COPY in Columns order.
func copyRows(rows []Row) pgx.CopyFromSource { return copyValues(rows, Row.values) }

// copyValues feeds rows to COPY, each as its values, dates as time.Time.
func copyValues[T any](rows []T, values func(T) []any) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		vals := values(rows[i])
		for j, v := range vals {
			if d, ok := v.(date); ok {
				vals[j] = time.Time(d)
			}
		}
		return vals, nil
	})
}

// reportPlans is every plan id of the report: its plans, its rows' and its requirements'.
func reportPlans(r *Report) []string {
	var ids []string
	for _, p := range r.Plans {
		ids = append(ids, p.ID)
	}
	for _, row := range r.Rows {
		ids = append(ids, row.Plan)
	}
	for _, q := range r.Requirements {
		ids = append(ids, q.Plan)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// redact removes the connection string and its password from an error's
// text, in case a driver quotes them.
func redact(err error, dsn string) error {
	msg := err.Error()
	secrets := []string{dsn}
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	if cfg, perr := pgx.ParseConfig(dsn); perr == nil && cfg.Password != "" {
		secrets = append(secrets, cfg.Password)
	}
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return err
	}
	// Not wrapped: unwrapping would hand out the unredacted text.
	return errors.New(msg)
}
